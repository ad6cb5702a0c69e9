package io.corral.server.zab;

import io.corral.log.LogEntry;

import java.util.Arrays;
import java.util.Objects;

/** One thing the core asks the shell to do. The shell performs a drain's outputs in order (see {@link Ready}). */
public sealed interface ZabOutput {

    /** send {@code message} to peer {@code to} (drop it if there is no connection to that peer) */
    record Send(long to, ZabMessage message) implements ZabOutput {
    }

    /**
     * Append {@code entry} to the log, asynchronously, after every earlier Persist; report durability with
     * {@link ZabNode#persisted}.
     */
    record Persist(LogEntry entry) implements ZabOutput {
    }

    /**
     * Drop every log entry after {@code afterZxid}, before performing any later output; the truncation must be durable
     * before a later Persist is reported durable. Never below what was applied.
     */
    record Truncate(long afterZxid) implements ZabOutput {
    }

    /** write both epochs durably before performing any later output */
    record PersistEpochs(long acceptedEpoch, long currentEpoch) implements ZabOutput {
    }

    /** every txn up to {@code zxid} is committed: apply, in zxid order, those of the log not applied yet */
    record Commit(long zxid) implements ZabOutput {
    }

    /**
     * With reconfiguration: {@code membership} is committed and now active (after the Commit that covers its reconfig
     * txn, or with an installed snapshot). Persist it before performing any later output (ZooKeeper's dynamic file),
     * so that a restart begins from it, and open the links to the members it adds. A configuration learned from a
     * peer without its reconfig txn is activated again when that txn reaches the log (after its Persist), so that
     * the shell persists the txn's own lines rather than those it could piece together from the members it knew.
     */
    record ActivateMembership(Membership membership) implements ZabOutput {
    }

    /**
     * Leader: serialise the state machine at the applied zxid (after applying every Commit of this drain), keep it
     * where its bytes can be read back, and hand its zxid and size to {@link ZabNode#snapshotTaken} for {@code peer}.
     * May be answered later; the core checks it still needs it. A newer TakeSnapshot for the same peer replaces it.
     */
    record TakeSnapshot(long peer) implements ZabOutput {
    }

    /**
     * Leader: send {@code peer} bytes {@code [offset, offset + length)} of the snapshot at {@code zxid} taken for it as
     * a {@link ZabMessage.SnapChunk}, in this place among the Sends. After its last chunk, the snapshot may go.
     */
    record SendSnapshotChunk(long peer, long zxid, long offset, int length) implements ZabOutput {
    }

    /**
     * Learner: a snapshot of the leader's state at {@code zxid}, {@code size} bytes, begins to arrive; it is kept
     * aside (on disk: it need not fit in memory) until {@link InstallSnapshot}. Replaces any partial one.
     */
    record ReceiveSnapshot(long zxid, long size) implements ZabOutput {
    }

    /** Learner: the next bytes of the snapshot being received. */
    record SnapshotChunk(byte[] data) implements ZabOutput {
        public SnapshotChunk {
            Objects.requireNonNull(data, "data");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SnapshotChunk c && Arrays.equals(data, c.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "SnapshotChunk[" + data.length + " bytes]";
        }
    }

    /**
     * Learner: every byte of the snapshot at {@code zxid} arrived: replace the state machine by it, durably, and
     * discard the whole log: it continues after {@code zxid}. Done before any later output.
     */
    record InstallSnapshot(long zxid) implements ZabOutput {
    }

    /**
     * The server changed role: close client connections and drop uncommitted in-flight client work. {@code epoch} is
     * the server's current epoch at the change; {@code leaderId} is {@link ZabNode#NO_LEADER} when looking.
     */
    record RoleChange(Role role, long epoch, long leaderId) implements ZabOutput {
    }

    /**
     * The server may now serve clients in this role: a leader is established (may propose), a learner is synchronised
     * (received UPTODATE).
     */
    record Serving(Role role, long epoch, long leaderId) implements ZabOutput {
    }

    /**
     * Leader: a leadership transfer to {@code target} began ({@link ZabNode#transferLeadership}); the server proposes
     * nothing more in this term. It either hands over (a RoleChange to LOOKING follows, once everything it proposed is
     * committed and the target holds it) or gives up ({@link HandoverAbandoned}) and may propose again.
     */
    record HandingOver(long target) implements ZabOutput {
    }

    /** Leader: the transfer to {@code target} did not happen ({@code why}); this server leads on and may propose. */
    record HandoverAbandoned(long target, String why) implements ZabOutput {
    }

    /**
     * Leader: the read-index request {@code requestId} ({@link ZabNode#readIndex}) is confirmed. Every txn whose
     * commit any server knew of when the request was made is at or below {@code index}: a read served from a state
     * that has applied up to {@code index} is linearizable.
     */
    record ReadIndex(long requestId, long index) implements ZabOutput {
    }

    /**
     * Leader: the read-index request {@code requestId} cannot be confirmed, because this server stopped leading
     * before a quorum confirmed its leadership. Emitted before the RoleChange that ends the term.
     */
    record ReadIndexFailed(long requestId) implements ZabOutput {
    }
}
