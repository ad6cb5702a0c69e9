package io.corral.server.zab;

/** A zxid is {@code (epoch << 32) | counter}: the epoch of the leader that proposed the txn and its position in it. */
public final class Zxid {

    /** the largest counter; a leader whose counter reaches it must give way to a new epoch */
    public static final long MAX_COUNTER = 0xFFFF_FFFFL;

    private Zxid() {
    }

    public static long make(long epoch, long counter) {
        return (epoch << 32) | (counter & MAX_COUNTER);
    }

    public static long epoch(long zxid) {
        return zxid >>> 32;
    }

    public static long counter(long zxid) {
        return zxid & MAX_COUNTER;
    }

    public static String toString(long zxid) {
        return "0x" + Long.toHexString(zxid);
    }
}
