package io.corral.client;

import io.corral.protocol.ErrorCode;
import io.corral.protocol.Stat;
import reactor.core.publisher.Flux;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * {@link ValueDelivery#EVERY}: the successive values of a node or of its child list built on a resumable stream that
 * opens with a snapshot (each change then has its node's whole Stat), so no intermediate value is skipped. Falls
 * back to the ordinary one-shot-watch streams ({@link WatchStreams}) on a server that did not offer the streams in
 * its handshake (ZooKeeper), or that answers UNIMPLEMENTED all the same.
 */
final class EveryValue {
    private EveryValue() {
    }

    static Flux<NodeValue> data(CorralClient client, String path) {
        return fallingBack(client, () -> client.resumable(path, WatchMode.NODE, CorralClient.NOW, true, true)
                        .transform(changes -> Flux.defer(() -> dataValues(changes, path))),
                () -> WatchStreams.data(client, path))
                .distinctUntilChanged(v -> v, NodeValue::sameAs);
    }

    /** A subtree whose snapshot does not fit in one frame (BADARGUMENTS) falls back to ordinary watches too. */
    static Flux<Children> children(CorralClient client, String path) {
        Supplier<Flux<Children>> watches = () -> WatchStreams.children(client, path);
        return fallingBack(client, () -> client.resumable(path, WatchMode.SUBTREE, CorralClient.NOW, true, true)
                        .transform(changes -> Flux.defer(() -> childLists(changes, path)))
                        .onErrorResume(e -> KeeperErrorException.hasCode(e, ErrorCode.BAD_ARGUMENTS),
                                e -> watches.get()),
                watches);
    }

    /**
     * The stream, started again from a fresh snapshot at the retention boundary; the fallback when the server did
     * not offer the streams, or says it does not serve them.
     */
    private static <T> Flux<T> fallingBack(CorralClient client, Supplier<Flux<T>> stream,
                                           Supplier<Flux<T>> fallback) {
        return Flux.defer(() -> {
            if (client.streamsUnsupportedHere()) {
                return fallback.get();
            }
            return stream.get()
                    .onErrorResume(e -> KeeperErrorException.hasCode(e, ErrorCode.HISTORY_COMPACTED),
                            e -> fallingBack(client, stream, fallback))
                    .onErrorResume(e -> KeeperErrorException.hasCode(e, ErrorCode.UNIMPLEMENTED),
                            e -> fallback.get());
        });
    }

    /** Per subscription: the node's values (data changes, creation, deletion; not its ACL or children). */
    private static Flux<NodeValue> dataValues(Flux<Change> changes, String path) {
        boolean[] seen = new boolean[1];
        return changes.concatMapIterable(change -> {
            if (change.isSnapshotEnd()) {
                boolean missing = !seen[0];
                seen[0] = true;
                return missing ? List.of(NodeValue.deleted(path)) : List.of();
            }
            return switch (change.type()) {
                case NODE_CREATED, NODE_DATA_CHANGED -> {
                    seen[0] = true;
                    yield List.of(new NodeValue(path, change.data(), change.stat()));
                }
                case NODE_DELETED -> List.of(NodeValue.deleted(path));
                default -> List.of();
            };
        });
    }

    /** Per subscription: the child list after each child created or deleted (the subtree's deeper changes dropped). */
    private static Flux<Children> childLists(Flux<Change> changes, String path) {
        TreeSet<String> names = new TreeSet<>();
        Stat[] stat = new Stat[1];
        String prefix = path.equals("/") ? "/" : path + "/";
        return changes.concatMapIterable(change -> {
            if (change.isSnapshotEnd()) {
                return List.of(current(names, stat[0]));
            }
            String changed = change.path();
            if (changed.equals(path)) {
                switch (change.type()) {
                    case NODE_CREATED -> stat[0] = change.stat();
                    case NODE_DELETED -> {
                        stat[0] = null;
                        names.clear();
                        return List.of(current(names, null));
                    }
                    case NODE_CHILDREN_CHANGED -> {
                        stat[0] = change.stat();
                        return List.of(current(names, stat[0]));
                    }
                    default -> stat[0] = change.stat() == null ? stat[0] : change.stat();
                }
                return change.snapshot() || change.type() != Change.Type.NODE_CREATED ? List.of()
                        : List.of(current(names, stat[0]));
            }
            if (changed.startsWith(prefix) && changed.indexOf('/', prefix.length()) < 0) {
                if (change.type() == Change.Type.NODE_CREATED) {
                    names.add(changed.substring(prefix.length()));
                } else if (change.type() == Change.Type.NODE_DELETED) {
                    names.remove(changed.substring(prefix.length()));
                }
            }
            return List.of();
        });
    }

    private static Children current(TreeSet<String> names, Stat stat) {
        return new Children(stat == null ? List.of() : new ArrayList<>(names), stat);
    }
}
