package io.corral.client;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import io.corral.client.ConnectString.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * {@link ClientOptions#followEnsembleConfig()}: reads {@code /zookeeper/config} with a watch, hands the client
 * addresses of its members to the server list, and reads it again each time the watch fires. A read lost with its
 * connection is sent again on the next one (the watch itself is set again by the reconnection, which reports a
 * change made meanwhile); it ends with the session.
 */
final class ConfigFollower {
    private static final Logger log = LoggerFactory.getLogger(ConfigFollower.class);

    private ConfigFollower() {
    }

    static Disposable follow(CorralClient client, Consumer<List<HostPort>> serverList) {
        return read(client)
                .expand(step -> step.change().flatMap(event -> read(client)))
                .map(step -> step.value().data() == null ? List.<HostPort>of()
                        : EnsembleConfig.clientAddresses(new String(step.value().data(), StandardCharsets.UTF_8)))
                .filter(hosts -> !hosts.isEmpty()) // standalone, or no member with a client address
                .subscribe(serverList, e -> log.debug("no longer following the ensemble's configuration: {}",
                        e.toString()));
    }

    private static Mono<Watched<NodeData>> read(CorralClient client) {
        return WatchStreams.resilient(client.getConfigAndWatch());
    }
}
