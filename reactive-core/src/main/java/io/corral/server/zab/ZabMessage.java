package io.corral.server.zab;

import io.corral.log.LogEntry;

import java.util.Arrays;
import java.util.Objects;

/**
 * Every message between ensemble members. The core relies on what a TCP connection gives: per peer, messages
 * arrive in the order sent, and a lost message means a lost connection (the shell then reports
 * {@link ZabNode#disconnected}). {@link ZabCodec} turns them into bytes.
 */
public sealed interface ZabMessage {

    // ---- leader election (fast leader election, ordered by (epoch, zxid, leader id)) ----

    /**
     * An election notification: the sender's vote in its election round, and its state. A server that is not
     * looking answers a looking one with the vote it follows, which is how a restarted server finds the leader.
     *
     * @param round  the sender's election round (logical clock)
     * @param leader the proposed or followed leader
     * @param zxid   that leader's last zxid, as the vote knows it
     * @param epoch  that leader's current epoch, as the vote knows it
     * @param state  the sender's role
     */
    record Vote(long round, long leader, long zxid, long epoch, Role state) implements ZabMessage {
        public Vote {
            Objects.requireNonNull(state, "state");
        }

        /** the same candidate (leader, zxid, epoch) in the same round, whatever the sender's state */
        boolean sameAs(Vote o) {
            return round == o.round && leader == o.leader && zxid == o.zxid && epoch == o.epoch;
        }

        /** true when this candidate beats {@code o}: higher epoch, then higher zxid, then higher id */
        boolean beats(Vote o) {
            if (epoch != o.epoch) {
                return epoch > o.epoch;
            }
            if (zxid != o.zxid) {
                return Long.compareUnsigned(zxid, o.zxid) > 0;
            }
            return leader > o.leader;
        }
    }

    // ---- discovery ----

    /** a follower's first message to its leader: {@code session} is echoed back in {@link LeaderInfo} */
    record FollowerInfo(long session, long acceptedEpoch, long lastZxid) implements ZabMessage {
    }

    /** an observer's first message to its leader */
    record ObserverInfo(long session, long acceptedEpoch, long lastZxid) implements ZabMessage {
    }

    /** the leader's new epoch, answering the learner's info message of {@code session} */
    record LeaderInfo(long session, long epoch) implements ZabMessage {
    }

    /**
     * A learner accepts {@code epoch} and describes its history.
     *
     * @param epochEnds for each epoch of the learner's history (from its snapshot on), the zxid of its last txn in
     *                  that epoch, ascending: with it the leader finds the exact point where the histories part
     */
    record AckEpoch(long epoch, long currentEpoch, long lastZxid, long committedZxid, long[] epochEnds)
            implements ZabMessage {
        public AckEpoch {
            Objects.requireNonNull(epochEnds, "epochEnds");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AckEpoch a && epoch == a.epoch && currentEpoch == a.currentEpoch
                    && lastZxid == a.lastZxid && committedZxid == a.committedZxid
                    && Arrays.equals(epochEnds, a.epochEnds);
        }

        @Override
        public int hashCode() {
            return Objects.hash(epoch, currentEpoch, lastZxid, committedZxid) * 31 + Arrays.hashCode(epochEnds);
        }

        @Override
        public String toString() {
            return "AckEpoch[epoch=" + epoch + ", currentEpoch=" + currentEpoch + ", lastZxid="
                    + Zxid.toString(lastZxid) + ", committedZxid=" + Zxid.toString(committedZxid) + ", epochEnds="
                    + epochEnds.length + "]";
        }
    }

    // ---- synchronisation: one of Diff / Trunc / Snap (with its chunks), then Proposals of the missing history,
    //      then NewLeader; the leader sends as far ahead as the learner's SyncAcks allow ----

    /** the learner's log ends at {@code zxid}, which the leader has: only the entries after it follow */
    record Diff(long zxid) implements ZabMessage {
    }

    /** drop the learner's entries after {@code zxid} (the last one both histories share); entries after it follow */
    record Trunc(long zxid) implements ZabMessage {
    }

    /**
     * Replace the learner's state by the leader's snapshot at {@code zxid}, whose {@code size} bytes follow as
     * {@link SnapChunk}s; the entries after it follow those. May also come in the middle of a stream, when the leader
     * can no longer read the entries the learner lacks.
     */
    record Snap(long zxid, long size) implements ZabMessage {
    }

    /**
     * With reconfiguration: the configuration committed at the snapshot that follows (sent just before its
     * {@link Snap}), which the learner takes with the snapshot's state: the reconfig txns that made it are not in the
     * entries that follow.
     */
    record SnapMembership(Membership membership) implements ZabMessage {
    }

    /**
     * With reconfiguration: the sender's last committed configuration, sent before each of its votes (ZooKeeper's
     * notifications carry it too), so that a server whose configuration is older (it missed a reconfig while down or
     * cut off) counts votes with the right one before it can sync; and the reconfig pending in its log, or null, so
     * that a voter of that one votes even if the proposal never reached it.
     */
    record ConfigNotice(Membership membership, Membership proposed) implements ZabMessage {
    }

    /** the next part of the snapshot announced by {@link Snap} */
    record SnapChunk(byte[] data) implements ZabMessage {
        public SnapChunk {
            Objects.requireNonNull(data, "data");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SnapChunk c && Arrays.equals(data, c.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "SnapChunk[" + data.length + " bytes]";
        }
    }

    /**
     * A synchronising learner's progress, the credit of the leader's stream: it holds the synchronised history
     * durably up to {@code zxid} and has received {@code snapBytes} bytes of the current snapshot (0 without one).
     */
    record SyncAck(long zxid, long snapBytes) implements ZabMessage {
    }

    /** the synchronised history ends at {@code zxid}; acknowledge it once durable, then start {@code epoch} */
    record NewLeader(long epoch, long zxid) implements ZabMessage {
    }

    /** the learner holds the history up to {@code zxid} durably and has made {@code epoch} its current epoch */
    record AckNewLeader(long epoch, long zxid) implements ZabMessage {
    }

    /** the leader is established: the learner may serve clients; everything up to {@code committedZxid} is committed */
    record UpToDate(long epoch, long committedZxid) implements ZabMessage {
    }

    // ---- broadcast ----

    /** a txn to append (during synchronisation: a missing txn of the history) */
    record Proposal(LogEntry entry) implements ZabMessage {
        public Proposal {
            Objects.requireNonNull(entry, "entry");
        }
    }

    /** a follower holds every txn up to {@code zxid} durably */
    record Ack(long zxid) implements ZabMessage {
    }

    /** every txn up to {@code zxid} is committed */
    record Commit(long zxid) implements ZabMessage {
    }

    /** to an observer: a committed txn it does not have yet */
    record Inform(LogEntry entry) implements ZabMessage {
        public Inform {
            Objects.requireNonNull(entry, "entry");
        }
    }

    /**
     * Heartbeat, both ways: the leader sends its committed zxid, a learner its durable zxid. The leader numbers its
     * heartbeats ({@code seq} grows with every one it sends in a term) and a learner echoes the number of the one it
     * answers: an answer proves the learner still followed this leader after that heartbeat was sent, which is what
     * confirms a read index.
     */
    record Ping(long epoch, long zxid, long seq) implements ZabMessage {
    }

    // ---- leadership transfer ----

    /**
     * The leader of {@code epoch} hands over to {@code target}, which holds its whole history (up to {@code zxid}, all
     * of it committed): the target leads at once, and every member that can reach it follows it without an election
     * (a voter in step with the old leader through {@link HandoverInfo}); a member that cannot elects again, preferring
     * {@code target} over any candidate just as recent (see {@link Election}).
     */
    record Handover(long epoch, long target, long zxid) implements ZabMessage {
    }

    /**
     * A voter that followed the leader of {@code epoch} up to its handover asks the target to take it on: its
     * accepted and current epochs are both {@code epoch}, so its log (ending at {@code lastZxid}) is a prefix of the
     * history the target holds. Answered by {@link HandoverSync}, or like a {@link FollowerInfo} when the target
     * cannot take that shortcut.
     */
    record HandoverInfo(long session, long epoch, long lastZxid) implements ZabMessage {
    }

    /**
     * The target's answer to {@link HandoverInfo} of {@code session}: its new {@code epoch}, and the stream of its
     * history after {@code zxid} (the learner's last) follows, ended by NEWLEADER. It stands for LEADERINFO, ACKEPOCH
     * and DIFF: the learner persists the epoch as accepted when it acknowledges NEWLEADER, and as current at UPTODATE
     * (or at the first entry of the epoch, if that comes first).
     */
    record HandoverSync(long session, long epoch, long zxid) implements ZabMessage {
    }

    // ---- for the shell ----

    /** a message the core ignores and the shell handles (request forwarding, session touches, sync) */
    record App(int kind, byte[] payload) implements ZabMessage {
        public App {
            Objects.requireNonNull(payload, "payload");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof App a && kind == a.kind && Arrays.equals(payload, a.payload);
        }

        @Override
        public int hashCode() {
            return kind * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "App[kind=" + kind + ", payload=" + payload.length + " bytes]";
        }
    }
}
