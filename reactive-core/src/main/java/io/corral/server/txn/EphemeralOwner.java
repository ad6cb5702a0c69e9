package io.corral.server.txn;

/**
 * The raw ephemeralOwner of a node encodes its kind, as in ZooKeeper: 0 for a plain persistent node, a session id
 * for an ephemeral, a container marker, or a TTL marker carrying the ttl. Clients see 0 for containers and TTL nodes.
 */
public final class EphemeralOwner {
    public static final long CONTAINER = 0x8000000000000000L;
    private static final long TTL_MASK = 0xFF00000000000000L;
    public static final long MAX_TTL = 0x000000FFFFFFFFFFL;

    private EphemeralOwner() {
    }

    public static long ttl(long ttlMillis) {
        return TTL_MASK | ttlMillis;
    }

    public static boolean isContainer(long owner) {
        return owner == CONTAINER;
    }

    public static boolean isTtl(long owner) {
        return (owner & TTL_MASK) == TTL_MASK && owner != CONTAINER;
    }

    public static long ttlOf(long owner) {
        return owner & ~TTL_MASK;
    }

    /** A session-owned ephemeral (not persistent, container or TTL). */
    public static boolean isSession(long owner) {
        return owner != 0 && !isContainer(owner) && !isTtl(owner);
    }

    /** What clients see in Stat.ephemeralOwner. */
    public static long visible(long owner) {
        return isSession(owner) ? owner : 0;
    }
}
