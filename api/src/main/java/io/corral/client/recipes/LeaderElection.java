package io.corral.client.recipes;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import io.corral.client.ConnectionState;
import io.corral.client.CorralClient;
import io.corral.protocol.ErrorCode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Leader election with Curator's LeaderLatch semantics: participants queue as ephemeral sequential nodes
 * {@code _c_<id>-latch-<seq>} (data: the participant id) under {@code path}; the lowest leads, each other watches only
 * its predecessor. At most one participant leads at a time, provided each treats {@code false} (and a SUSPENDED
 * connection) as "stop leading now".
 *
 * <pre>{@code
 * LeaderElection election = new LeaderElection(client, "/election/scheduler", "host-a");
 * election.leadership().subscribe(leading -> scheduler.setActive(leading));
 * }</pre>
 */
public final class LeaderElection {
    static final String LATCH_NAME = "latch-";

    private final CorralClient client;
    private final String path;
    private final SequentialLock latch;

    public LeaderElection(CorralClient client, String path, String participantId) {
        this.client = client;
        this.path = path;
        this.latch = new SequentialLock(client, path, LATCH_NAME, List.of(LATCH_NAME), TurnRule.EXCLUSIVE,
                participantId.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Joins the election on subscription: emits {@code false} once, then {@code true} whenever this participant
     * becomes the leader and {@code false} when it stops (its node lost, or the connection SUSPENDED: the session
     * may be expiring; {@code true} again on RECONNECTED with the same session). If its node is deleted by someone
     * else it joins again at the back. Cancelling leaves the election (the node is deleted, leadership passes on).
     * Completes, after a final {@code false}, when the session ends (expired or closed).
     */
    public Flux<Boolean> leadership() {
        Flux<Boolean> oneTerm = Flux.usingWhen(latch.acquire(), this::whileHolding, LockLease::release,
                        (lease, error) -> lease.release(), LockLease::release)
                .onErrorResume(LockNodeVanishedException.class, e -> Mono.empty()); // join again
        return Flux.concat(Mono.just(false), oneTerm.repeat(() -> !client.state().isTerminal()))
                .onErrorResume(Nodes::sessionEnded, e -> Mono.empty())
                .concatWith(Mono.just(false))
                .distinctUntilChanged();
    }

    /** true while connected and holding, false when SUSPENDED; ends with false when the lease is lost. */
    private Flux<Boolean> whileHolding(LockLease lease) {
        return client.states()
                .map(ConnectionState::isConnected)
                .takeUntilOther(lease.lost())
                .concatWith(Mono.just(false));
    }

    /** The id of the current leader, read from the lowest participant's node; empty when nobody participates. */
    public Mono<Optional<String>> currentLeader() {
        return client.getChildren(path)
                .map(children -> children.names().stream()
                        .filter(name -> name.contains(LATCH_NAME) && Nodes.sequence(name) >= 0)
                        .min(Nodes.BY_SEQUENCE))
                .flatMap(lowest -> lowest.isEmpty()
                        ? Mono.just(Optional.<String>empty())
                        : client.getData(Nodes.join(path, lowest.get()))
                                .map(d -> Optional.of(new String(d.data(), StandardCharsets.UTF_8)))
                                .onErrorResume(e -> Nodes.is(e, ErrorCode.NO_NODE),
                                        e -> currentLeader())) // stepped down meanwhile: look again
                .onErrorResume(e -> Nodes.is(e, ErrorCode.NO_NODE), e -> Mono.just(Optional.empty()));
    }
}
