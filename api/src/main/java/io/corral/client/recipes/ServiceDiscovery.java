package io.corral.client.recipes;

import java.util.Comparator;
import java.util.List;

import io.corral.client.CorralClient;
import io.corral.client.ValueDelivery;
import io.corral.protocol.CreateMode;
import io.corral.protocol.ErrorCode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Service discovery in the manner of Curator's ServiceDiscovery: each instance is an ephemeral node
 * {@code basePath/<service name>/<instance id>} holding a {@link ServiceInstance} payload, so an instance whose
 * session ends disappears from the set by itself.
 *
 * <pre>{@code
 * ServiceDiscovery discovery = new ServiceDiscovery(client, "/services");
 * discovery.register(new ServiceInstance("orders", "orders-1", "10.0.0.5", 8080)).subscribe();
 * discovery.instances("orders").subscribe(set -> balancer.update(set));
 * }</pre>
 */
public final class ServiceDiscovery {
    private final CorralClient client;
    private final String basePath;

    public ServiceDiscovery(CorralClient client, String basePath) {
        this.client = client;
        this.basePath = basePath;
    }

    /**
     * Registers the instance for as long as the subscription lasts: emits the instance when its node is created,
     * and again if the node had to be created anew (someone deleted it while the session lived). A node left with
     * the same id (a previous registration) is replaced, as Curator does. Cancelling deletes the node. Completes
     * when the client is closed; errors with SESSIONEXPIRED when the session expires (its node is gone then).
     */
    public Flux<ServiceInstance> register(ServiceInstance instance) {
        return Flux.defer(() -> {
            String servicePath = Nodes.join(basePath, instance.name());
            String path = Nodes.join(servicePath, instance.id());
            byte[] payload = instance.encode();
            Mono<ServiceInstance> create = create(servicePath, path, payload).thenReturn(instance);
            Mono<ServiceInstance> untilDeleted = client.watchData(path)
                    .retryWhen(Nodes.onConnectionLoss())
                    .filter(value -> !value.exists())
                    .next()
                    .then(Mono.empty());
            return create.concatWith(untilDeleted)
                    .repeat(() -> !client.state().isTerminal())
                    .onErrorResume(e -> e instanceof io.corral.client.ClientClosedException, e -> Mono.empty())
                    .doOnCancel(() -> Nodes.deleteQuietly(client, path).subscribe());
        });
    }

    private Mono<Void> create(String servicePath, String path, byte[] payload) {
        return client.create(path, payload, CreateMode.EPHEMERAL).then()
                .onErrorResume(e -> Nodes.is(e, ErrorCode.NO_NODE),
                        e -> Nodes.ensureContainers(client, servicePath)
                                .then(Mono.defer(() -> create(servicePath, path, payload))))
                .onErrorResume(e -> Nodes.is(e, ErrorCode.NODE_EXISTS),
                        e -> Nodes.deleteQuietly(client, path)
                                .then(Mono.defer(() -> create(servicePath, path, payload))))
                .retryWhen(Nodes.onConnectionLoss()); // a lost create that happened answers NODEEXISTS: replaced
    }

    /**
     * The current set of instances of a service, sorted by id: emitted on subscription and again after every
     * registration, deregistration or session end (empty while nobody is registered). On a Corral server after each
     * of them, in order (the service node's resumable stream, {@link ValueDelivery#EVERY}); on ZooKeeper changes
     * that land together may be reported as one.
     */
    public Flux<List<ServiceInstance>> instances(String serviceName) {
        String servicePath = Nodes.join(basePath, serviceName);
        return client.watchChildren(servicePath, ValueDelivery.EVERY)
                .retryWhen(Nodes.onConnectionLoss())
                .concatMap(children -> Flux.fromIterable(children.names())
                        .concatMap(id -> client.getData(Nodes.join(servicePath, id))
                                .retryWhen(Nodes.onConnectionLoss())
                                .map(data -> ServiceInstance.decode(serviceName, id, data.data()))
                                .onErrorResume(e -> Nodes.is(e, ErrorCode.NO_NODE), e -> Mono.empty()))
                        .sort(Comparator.comparing(ServiceInstance::id))
                        .collectList())
                .distinctUntilChanged();
    }

    /** The names of the services that have (or had) instances under the base path. */
    public Mono<List<String>> services() {
        return client.getChildren(basePath)
                .map(children -> children.names().stream().sorted().toList())
                .onErrorResume(e -> Nodes.is(e, ErrorCode.NO_NODE), e -> Mono.just(List.of()));
    }
}
