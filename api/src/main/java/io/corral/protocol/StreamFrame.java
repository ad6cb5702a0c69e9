package io.corral.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A frame of a resumable watch stream, sent with xid {@value #XID} only to a connection that subscribed. It holds
 * every change of one txn (zxid) that the subscription covers, so a stream resumed after {@code zxid} misses and
 * repeats nothing. A frame with no change is progress: the stream has covered everything up to {@code zxid}.
 * {@code snapshot}: the changes are the subtree as it was at zxid (NodeCreated each), not a txn. A frame with
 * {@code err} != 0 ends the subscription (HISTORY_COMPACTED: its history is no longer retained).
 */
public record StreamFrame(int subscription, int err, long zxid, long time, boolean snapshot,
                          List<StreamChange> changes) implements Record {
    public static final int XID = -16;
    /** The xid of a frame whose changes carry their Stat (wire version {@value SubscribeRequest#WITH_STAT}). */
    public static final int XID_WITH_STAT = -17;

    /** Whether its changes carry a Stat (it is sent with xid {@value #XID_WITH_STAT}). */
    public boolean withStat() {
        return !changes.isEmpty() && changes.get(0).stat() != null;
    }

    public static StreamFrame read(JuteInput in) {
        return read(in, false);
    }

    public static StreamFrame read(JuteInput in, boolean withStat) {
        StreamFrame[] frame = new StreamFrame[1];
        read(in, withStat, subscription -> new Reader<StreamChange>() {
            private int err;
            private long zxid;
            private long time;
            private boolean snapshot;
            private final List<StreamChange> changes = new ArrayList<>();

            @Override
            public boolean head(int err, long zxid, long time, boolean snapshot, int count) {
                this.err = err;
                this.zxid = zxid;
                this.time = time;
                this.snapshot = snapshot;
                return true;
            }

            @Override
            public StreamChange decoded(int type, String path, int version, long ephemeralOwner, byte[] data,
                                        Stat stat, int childDelta) {
                StreamChange change = new StreamChange(type, path, version, ephemeralOwner, data, stat, childDelta);
                changes.add(change);
                return change;
            }

            @Override
            public void endOfFrame() {
                frame[0] = new StreamFrame(subscription, err, zxid, time, snapshot, changes);
            }
        });
        return frame[0];
    }

    /**
     * Who reads a frame's changes as they are decoded, so that no StreamFrame, StreamChange or list is made for it
     * (a client dispatching frames of its subscriptions). Calls: {@link #head}, then, unless it said no, each
     * change in order, then {@link #endOfFrame}.
     */
    public interface Reader<T> extends StreamChange.Decoder<T> {
        /** The frame's fields before its changes; false skips them (and {@link #endOfFrame}). */
        boolean head(int err, long zxid, long time, boolean snapshot, int count);

        /** The path the next change probably names, not decoded again when it does; null for none. */
        default String expectedPath() {
            return null;
        }

        /** After the frame's last change. */
        void endOfFrame();
    }

    /**
     * Reads a frame into the reader {@code route} gives for its subscription id; a frame without one (null) is
     * left unread.
     */
    public static void read(JuteInput in, boolean withStat, IntFunction<? extends Reader<?>> route) {
        int subscription = in.readInt();
        Reader<?> reader = route.apply(subscription);
        if (reader == null) {
            return;
        }
        int err = in.readInt();
        long zxid = in.readLong();
        long time = in.readLong();
        boolean snapshot = in.readBool();
        int n = in.readInt();
        if (n < 0 || n > 1 << 24) {
            throw new MarshallingException("bad change count " + n);
        }
        if (!reader.head(err, zxid, time, snapshot, n)) {
            return;
        }
        for (int i = 0; i < n; i++) {
            StreamChange.read(in, withStat, reader.expectedPath(), reader);
        }
        reader.endOfFrame();
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(subscription).writeInt(err).writeLong(zxid).writeLong(time).writeBool(snapshot)
                .writeInt(changes.size());
        for (StreamChange change : changes) {
            change.write(out);
        }
    }
}
