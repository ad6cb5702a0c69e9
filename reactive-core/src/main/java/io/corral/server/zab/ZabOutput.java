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
     * Leader: serialise the state machine at the applied zxid (after applying every Commit of this drain) and hand it
     * to {@link ZabNode#snapshotTaken} for {@code peer}. May be answered later; the core checks it still needs it.
     */
    record TakeSnapshot(long peer) implements ZabOutput {
    }

    /**
     * Learner: replace the state machine by {@code state} (the leader's at {@code zxid}), durably, and discard the
     * whole log: it continues after {@code zxid}. Done before any later output.
     */
    record InstallSnapshot(long zxid, byte[] state) implements ZabOutput {
        public InstallSnapshot {
            Objects.requireNonNull(state, "state");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof InstallSnapshot s && zxid == s.zxid && Arrays.equals(state, s.state);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(zxid) * 31 + Arrays.hashCode(state);
        }

        @Override
        public String toString() {
            return "InstallSnapshot[zxid=" + Zxid.toString(zxid) + ", state=" + state.length + " bytes]";
        }
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
