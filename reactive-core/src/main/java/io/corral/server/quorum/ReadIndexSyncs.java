package io.corral.server.quorum;

import io.corral.server.zab.ZabMessage;
import io.corral.server.zab.ZabNode;
import io.corral.server.zab.ZabOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The syncs on their way, as read indexes: on the leader, those the core is confirming (its own clients' and its
 * learners'), answered once it has; on a learner, those it asked its leader for. All are forgotten when the role
 * changes. Sequencer thread only.
 */
final class ReadIndexSyncs {
    /** the shell's log: its messages are found, and tuned, under {@link ZabQuorum} */
    private static final Logger log = LoggerFactory.getLogger(ZabQuorum.class);
    /** The requester of a read index that is this server's own client. */
    private static final long LOCAL = -1;

    /** A sync being confirmed by the core: the learner that asked (or LOCAL), and its number for that sync. */
    private record SyncRequest(long requester, long id) {
    }

    private final ZabNode node;
    private final QuorumHost host;
    private final PeerSender sender;
    /** Read-index requests of syncs on their way through the core, by token. */
    private final Map<Long, SyncRequest> syncsConfirming = new HashMap<>();
    private long nextSyncToken;
    /**
     * A learner's syncs at its leader, by number, oldest first: an answer counts only if it comes from the leader of
     * this term for the oldest of them, never late from a former leader (the sequencer asks the next leader again).
     */
    private final ArrayDeque<Long> syncsAtLeader = new ArrayDeque<>();
    private long nextSyncId;

    ReadIndexSyncs(ZabNode node, QuorumHost host, PeerSender sender) {
        this.node = node;
        this.host = host;
        this.sender = sender;
    }

    /** The leader: a sync of one of its own clients. */
    void confirmLocal() {
        confirm(LOCAL, 0);
    }

    /** The leader: the sync numbered {@code id} of learner {@code requester}. */
    void confirm(long requester, long id) {
        long token = ++nextSyncToken;
        syncsConfirming.put(token, new SyncRequest(requester, id));
        node.readIndex(token);
    }

    /** A learner: asks its leader for a read index. */
    void askLeader() {
        long id = ++nextSyncId;
        syncsAtLeader.addLast(id);
        sender.send(node.leaderId(), new ZabMessage.App(LearnerTraffic.APP_SYNC,
                ByteBuffer.allocate(8).putLong(id).array()));
    }

    /** A learner: the leader answered the sync numbered {@code id} with {@code index}; a leader ignores it. */
    void answered(long peer, long id, long index, boolean leading) {
        if (leading || peer != node.leaderId() || syncsAtLeader.isEmpty() || syncsAtLeader.peekFirst() != id) {
            log.debug("Ignoring the answer of server {} to sync {}: not this term's oldest sync", peer, id);
            return;
        }
        syncsAtLeader.pollFirst();
        host.syncAnswered(index);
    }

    /** The core confirmed a read index: the sync is answered, here or at the learner that asked. */
    void confirmed(ZabOutput.ReadIndex confirmed) {
        SyncRequest request = syncsConfirming.remove(confirmed.requestId());
        if (request != null && request.requester() == LOCAL) {
            host.syncAnswered(confirmed.index());
        } else if (request != null) {
            sender.send(request.requester(), new ZabMessage.App(LearnerTraffic.APP_SYNC_DONE,
                    ByteBuffer.allocate(16).putLong(request.id()).putLong(confirmed.index()).array()));
        }
    }

    /** The term ends: the RoleChange that follows closes the clients whose syncs waited. */
    void failed(ZabOutput.ReadIndexFailed failed) {
        syncsConfirming.remove(failed.requestId());
    }

    /** The role changed: no sync on its way is answered any more. */
    void clear() {
        syncsConfirming.clear();
        syncsAtLeader.clear();
    }
}
