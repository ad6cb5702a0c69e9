package io.corral.server.stream;

import io.corral.protocol.StreamChange;
import io.corral.protocol.StreamFrame;

import java.util.ArrayList;
import java.util.List;

/** One subscription of a connection, with how far its stream got; the {@link StreamHub}'s thread only. */
final class Subscription {
    final StreamSink sink;
    final int id;
    private final String path;
    private final String prefix;
    private final boolean recursive;
    private final boolean withData;
    private final boolean withStat;
    /** Every committed change up to this zxid was sent (or did not concern this subscription). */
    long after;
    /** The zxid of the last frame sent, changes or progress. */
    long lastSent;
    long lastSentNanos;
    /** Its own reader of the log while it is behind the live group; null otherwise. */
    LogCursor cursor;

    Subscription(StreamSink sink, int id, String path, boolean recursive, boolean withData, boolean withStat,
                 long after) {
        this.sink = sink;
        this.id = id;
        this.path = path;
        this.prefix = path.equals("/") ? "/" : path + "/";
        this.recursive = recursive;
        this.withData = withData;
        this.withStat = withStat;
        this.after = after;
        this.lastSent = after;
        this.lastSentNanos = System.nanoTime();
    }

    /** The frame of a txn's changes this subscription covers, or null when it covers none. */
    StreamFrame frameOf(long zxid, long time, List<StreamChange> changes) {
        List<StreamChange> mine = null;
        for (StreamChange change : changes) {
            if (covers(change.path())) {
                if (mine == null) {
                    mine = new ArrayList<>(changes.size());
                }
                mine.add(change.trimmed(withData, withStat));
            }
        }
        return mine == null ? null : new StreamFrame(id, 0, zxid, time, false, mine);
    }

    private boolean covers(String changed) {
        return changed.equals(path) || recursive && changed.startsWith(prefix);
    }

    void sent(long zxid) {
        after = zxid;
        lastSent = zxid;
        lastSentNanos = System.nanoTime();
    }

    void closeCursor() {
        if (cursor != null) {
            cursor.close();
            cursor = null;
        }
    }

    @Override
    public String toString() {
        return "subscription " + id + " of " + sink.remoteAddress() + " to " + path + (recursive ? " (subtree)" : "")
                + " after 0x" + Long.toHexString(after);
    }
}
