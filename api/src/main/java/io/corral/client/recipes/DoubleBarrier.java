package io.corral.client.recipes;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.corral.client.CorralClient;
import io.corral.client.WatchEvent;
import io.corral.protocol.CreateMode;
import io.corral.protocol.ErrorCode;
import reactor.core.publisher.Mono;

/**
 * A double barrier with Curator's DistributedDoubleBarrier semantics: {@link #enter()} completes once
 * {@code memberCount} members have entered, {@link Member#leave()} once every member has left. Members are
 * ephemeral sequential nodes {@code _c_<id>-member-<seq>} under {@code path}; the member that completes the count
 * creates {@code path/ready}, which releases the others. One round at a time per path.
 *
 * <pre>{@code
 * DoubleBarrier barrier = new DoubleBarrier(client, "/barriers/stage-1", 3);
 * barrier.enter().flatMap(member -> compute().then(member.leave())).subscribe();
 * }</pre>
 */
public final class DoubleBarrier {
    static final String MEMBER_NAME = "member-";
    static final String READY = "ready";

    private final CorralClient client;
    private final String path;
    private final String readyPath;
    private final int memberCount;

    public DoubleBarrier(CorralClient client, String path, int memberCount) {
        if (memberCount < 1) {
            throw new IllegalArgumentException("memberCount must be at least 1: " + memberCount);
        }
        this.client = client;
        this.path = path;
        this.readyPath = Nodes.join(path, READY);
        this.memberCount = memberCount;
    }

    /**
     * Enters: registers this member and completes once {@code memberCount} members are in. Cancelling (or a
     * failure) before that withdraws the member's node.
     */
    public Mono<Member> enter() {
        return Mono.defer(() -> {
            ProtectedNode node = new ProtectedNode(client, path, MEMBER_NAME, new byte[0],
                    CreateMode.EPHEMERAL_SEQUENTIAL);
            AtomicBoolean entered = new AtomicBoolean();
            return node.create()
                    .flatMap(ours -> repeatUntilTrue(this::checkEntered).thenReturn(new Member(ours)))
                    .doOnNext(member -> entered.set(true))
                    .doFinally(signal -> {
                        if (!entered.get()) {
                            node.deleteIfCreated().subscribe();
                        }
                    });
        });
    }

    /** Runs {@code work} between entering and leaving; cancelling withdraws the member without waiting. */
    public <T> Mono<T> around(Mono<T> work) {
        return Mono.usingWhen(enter(), member -> work, Member::leave, (member, error) -> member.leave(),
                Member::withdraw);
    }

    /** One look: entered when ready exists or this member completes the count; otherwise waits for ready's watch. */
    private Mono<Boolean> checkEntered() {
        return client.existsAndWatch(readyPath)
                .retryWhen(Nodes.onConnectionLoss())
                .flatMap(watched -> {
                    if (watched.value().isPresent()) {
                        return Mono.just(true);
                    }
                    return members().flatMap(members -> {
                        if (members.size() >= memberCount) {
                            return client.create(readyPath, new byte[0], CreateMode.PERSISTENT)
                                    .retryWhen(Nodes.onConnectionLoss())
                                    .onErrorResume(e -> Nodes.is(e, ErrorCode.NODE_EXISTS), e -> Mono.empty())
                                    .thenReturn(true);
                        }
                        // ready's creation is proof enough even if it is deleted again before we look
                        return watched.change()
                                .map(event -> event.type() == WatchEvent.Type.NODE_CREATED)
                                .defaultIfEmpty(false);
                    });
                });
    }

    /** The member node names (ready excluded), in sequence order. */
    private Mono<List<String>> members() {
        return client.getChildren(path)
                .retryWhen(Nodes.onConnectionLoss())
                .map(children -> children.names().stream()
                        .filter(name -> name.contains(MEMBER_NAME) && Nodes.sequence(name) >= 0)
                        .sorted(Nodes.BY_SEQUENCE)
                        .toList());
    }

    private static Mono<Void> repeatUntilTrue(Supplier<Mono<Boolean>> step) {
        return Mono.defer(step).repeat().filter(done -> done).next().then();
    }

    /** A member inside the barrier. */
    public final class Member {
        private final String path;
        private final String name;

        private Member(String path) {
            this.path = path;
            this.name = Nodes.name(path);
        }

        /** This member's node. */
        public String path() {
            return path;
        }

        /**
         * Leaves: withdraws this member and completes once every member has left. As in ZooKeeper's recipe, the
         * lowest member waits for the highest, the others delete their node and wait for the lowest, so each change
         * wakes one member only.
         */
        public Mono<Void> leave() {
            return repeatUntilTrue(this::checkLeft)
                    .then(Nodes.deleteQuietly(client, readyPath))
                    .doOnCancel(() -> withdraw().subscribe());
        }

        /** Deletes this member's node without waiting for the others (a cancelled leave, a cancelled round). */
        Mono<Void> withdraw() {
            return Nodes.deleteQuietly(client, path);
        }

        private Mono<Boolean> checkLeft() {
            return members().flatMap(members -> {
                if (members.isEmpty()) {
                    return Mono.just(true);
                }
                if (members.size() == 1 && members.get(0).equals(name)) {
                    return Nodes.deleteQuietly(client, path).thenReturn(true);
                }
                String awaited;
                Mono<Void> first = Mono.empty();
                if (members.get(0).equals(name)) {
                    awaited = members.get(members.size() - 1);
                } else {
                    if (members.contains(name)) {
                        first = Nodes.deleteQuietly(client, path);
                    }
                    awaited = members.get(0);
                }
                return first.then(client.existsAndWatch(Nodes.join(DoubleBarrier.this.path, awaited))
                        .retryWhen(Nodes.onConnectionLoss())
                        .flatMap(watched -> watched.value().isEmpty()
                                ? Mono.just(false)
                                : watched.change().thenReturn(false)));
            });
        }
    }
}
