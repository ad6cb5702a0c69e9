package io.corral.protocol;

import java.util.ArrayList;
import java.util.List;

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
        int subscription = in.readInt();
        int err = in.readInt();
        long zxid = in.readLong();
        long time = in.readLong();
        boolean snapshot = in.readBool();
        int n = in.readInt();
        if (n < 0 || n > 1 << 24) {
            throw new MarshallingException("bad change count " + n);
        }
        List<StreamChange> changes = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            changes.add(StreamChange.read(in, withStat));
        }
        return new StreamFrame(subscription, err, zxid, time, snapshot, changes);
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
