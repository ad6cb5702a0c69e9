package io.corral.client.recipes;

import io.corral.client.CorralClient;
import io.corral.client.Created;
import io.corral.protocol.CreateMode;
import io.corral.protocol.ErrorCode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A sequential node created in Curator's "protected" way: its name starts with {@code _c_<random id>-}, so that after
 * a CONNECTIONLOSS (the create may or may not have happened) or a cancellation the node can be found again by that
 * prefix, instead of being left behind or created twice.
 */
final class ProtectedNode {
    private final CorralClient client;
    private final String parent;
    private final String prefix;
    private final String name;
    private final byte[] data;
    private final CreateMode mode;

    ProtectedNode(CorralClient client, String parent, String name, byte[] data, CreateMode mode) {
        this.client = client;
        this.parent = parent;
        this.prefix = "_c_" + Nodes.randomId() + "-";
        this.name = name;
        this.data = data;
        this.mode = mode;
    }

    /** Creates the node (and missing parents, as containers); the full path of the node that exists afterwards. */
    Mono<String> create() {
        return client.create(Nodes.join(parent, prefix + name), data, mode)
                .map(Created::path)
                .onErrorResume(e -> Nodes.is(e, ErrorCode.NO_NODE),
                        e -> Nodes.ensureContainers(client, parent).then(Mono.defer(this::create)))
                .onErrorResume(e -> Nodes.is(e, ErrorCode.CONNECTION_LOSS),
                        e -> find().switchIfEmpty(Mono.defer(this::create)));
    }

    /** The path of the node if it exists (requests are answered in order, so this sees any create sent before). */
    Mono<String> find() {
        return client.getChildren(parent)
                .retryWhen(Nodes.onConnectionLoss())
                .onErrorResume(e -> Nodes.is(e, ErrorCode.NO_NODE), e -> Mono.empty())
                .flatMapMany(children -> Flux.fromIterable(children.names()))
                .filter(child -> child.startsWith(prefix))
                .next()
                .map(child -> Nodes.join(parent, child));
    }

    /** Deletes the node if it exists, whether or not its create's reply ever arrived. */
    Mono<Void> deleteIfCreated() {
        return find().flatMap(path -> Nodes.deleteQuietly(client, path))
                .onErrorResume(Nodes::sessionEnded, e -> Mono.empty());
    }
}
