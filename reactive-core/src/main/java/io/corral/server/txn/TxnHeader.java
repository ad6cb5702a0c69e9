package io.corral.server.txn;

/** Who wrote a txn, when, and its place in the total order. */
public record TxnHeader(long sessionId, int cxid, long zxid, long time, int type) {

    public static long epochOf(long zxid) {
        return zxid >>> 32;
    }

    public static long counterOf(long zxid) {
        return zxid & 0xFFFFFFFFL;
    }

    public static long makeZxid(long epoch, long counter) {
        return (epoch << 32) | (counter & 0xFFFFFFFFL);
    }
}
