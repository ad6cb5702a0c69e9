package io.corral.server.watch;

import io.corral.protocol.WatcherType;

/** The kinds of server-side watch. One-shot kinds are removed when they fire. */
public enum WatchKind {
    /** One-shot, set by getData and exists (also on a missing node). */
    DATA,
    /** One-shot, set by getChildren. */
    CHILD,
    /** addWatch PERSISTENT: data and child events of one node, never removed by firing. */
    PERSISTENT,
    /** addWatch PERSISTENT_RECURSIVE: data events of a node and all its descendants. */
    RECURSIVE;

    final int bit = 1 << ordinal();

    /** The kinds a checkWatches/removeWatches WatcherType selects, as a bit set. */
    public static int bitsFor(int watcherType) {
        return switch (watcherType) {
            case WatcherType.CHILDREN -> CHILD.bit;
            case WatcherType.DATA -> DATA.bit;
            case WatcherType.PERSISTENT -> PERSISTENT.bit;
            case WatcherType.PERSISTENT_RECURSIVE -> RECURSIVE.bit;
            default -> DATA.bit | CHILD.bit | PERSISTENT.bit | RECURSIVE.bit;
        };
    }
}
