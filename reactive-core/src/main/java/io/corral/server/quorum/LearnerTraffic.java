package io.corral.server.quorum;

import io.corral.protocol.MarshallingException;
import io.corral.server.peer.PeerNetwork;
import io.corral.server.zab.ZabMessage;
import io.corral.server.zab.ZabNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The learners' application traffic, which the core does not interpret: a learner's forwarded writes, session touches,
 * syncs and requests for the leadership, sent to its leader, and the leader's handling of them (a sync's answer comes
 * back the same way). Sequencer thread only.
 */
final class LearnerTraffic {
    /** the shell's log: its messages are found, and tuned, under {@link ZabQuorum} */
    private static final Logger log = LoggerFactory.getLogger(ZabQuorum.class);
    static final int APP_FORWARD = 1;
    static final int APP_TOUCH = 2;
    static final int APP_SYNC = 3;
    static final int APP_SYNC_DONE = 4;
    /** a follower asks the leader to hand over to it */
    static final int APP_LEAD_REQUEST = 5;

    private final Quorum quorum;
    private final ZabNode node;
    private final QuorumHost host;
    private final PeerNetwork network;
    private final PeerSender sender;
    private final LearnerFigures learnerFigures;
    private final ReadIndexSyncs syncs;
    private final Set<Long> touched = new LinkedHashSet<>();
    /**
     * Learners' writes and syncs that arrived while this leader hands over: handled if the transfer is abandoned,
     * dropped at the handover (each learner passes what the old term did not answer to the new leader). Also those
     * that come, in the batch of events that established this leader or abandoned its transfer, after that event and
     * before the outputs that say so are carried out (at the end of the batch): they are handled then.
     */
    private final ArrayDeque<HeldApp> heldDuringHandover = new ArrayDeque<>();

    private record HeldApp(long peer, ZabMessage.App app) {
    }

    /** {@code quorum} is the shell this traffic is of: whether it leads and serves, and its leadership transfer. */
    LearnerTraffic(Quorum quorum, ZabNode node, QuorumHost host, PeerNetwork network, PeerSender sender,
                   LearnerFigures learnerFigures, ReadIndexSyncs syncs) {
        this.quorum = quorum;
        this.node = node;
        this.host = host;
        this.network = network;
        this.sender = sender;
        this.learnerFigures = learnerFigures;
        this.syncs = syncs;
    }

    /** A learner: a client's write, for the leader to propose. */
    void forward(byte[] request) {
        sender.send(node.leaderId(), new ZabMessage.App(APP_FORWARD, request));
    }

    /** A follower: asks its leader to hand the leadership over to it. */
    void requestLeadership() {
        sender.send(node.leaderId(), new ZabMessage.App(APP_LEAD_REQUEST, new byte[0]));
    }

    /** A learner: the session was active, the leader hears so at the next tick. */
    void touched(long sessionId) {
        if (!quorum.leads()) {
            touched.add(sessionId);
        }
    }

    /** At each tick: the sessions touched since the last, to the leader while serving (forgotten otherwise). */
    void sendTouches() {
        if (touched.isEmpty() || !quorum.serving()) {
            touched.clear();
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate(8 * touched.size());
        touched.forEach(buf::putLong);
        touched.clear();
        sender.send(node.leaderId(), new ZabMessage.App(APP_TOUCH, buf.array()));
    }

    /** An application message from {@code peer}; a malformed or unknown one drops its link. */
    void received(long peer, ZabMessage.App app) {
        try {
            switch (app.kind()) {
                case APP_FORWARD -> {
                    learnerFigures.forwarded(peer);
                    if (quorum.leads() && quorum.serving()) {
                        host.forwardedByLearner(peer, app.payload());
                    } else {
                        holdDuringHandover(peer, app);
                    }
                }
                case APP_TOUCH -> {
                    ByteBuffer buf = ByteBuffer.wrap(app.payload());
                    long[] ids = new long[buf.remaining() / 8];
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = buf.getLong();
                    }
                    if (quorum.leads()) {
                        host.touchedByLearner(ids);
                    }
                }
                case APP_SYNC -> {
                    if (quorum.leads() && quorum.serving()) {
                        syncs.confirm(peer, ByteBuffer.wrap(app.payload()).getLong());
                    } else {
                        holdDuringHandover(peer, app);
                    }
                }
                case APP_SYNC_DONE -> {
                    ByteBuffer buf = ByteBuffer.wrap(app.payload());
                    long id = buf.getLong();
                    syncs.answered(peer, id, buf.getLong(), quorum.leads());
                }
                case APP_LEAD_REQUEST -> {
                    if (quorum.leads() && quorum.serving()) {
                        try {
                            quorum.transferLeadership(peer);
                        } catch (IllegalArgumentException e) {
                            log.warn("Server {} asked for the leadership, not handed over: {}", peer, e.getMessage());
                        }
                    }
                }
                default -> network.disconnect(peer, "unknown application message kind " + app.kind());
            }
        } catch (MarshallingException | java.nio.BufferUnderflowException e) {
            network.disconnect(peer, "malformed application message: " + e);
        }
    }

    private void holdDuringHandover(long peer, ZabMessage.App app) {
        if (!node.handingOver() && !node.isEstablished()) {
            return; // not serving: the learner passes it on again once a leader serves
        }
        if (heldDuringHandover.size() >= ZabQuorum.MAX_OUTSTANDING) {
            network.disconnect(peer, "too many requests while this leader hands over");
            return;
        }
        heldDuringHandover.addLast(new HeldApp(peer, app));
    }

    /** Serving (again): what the learners sent meanwhile, in order. */
    void releaseHeld() {
        HeldApp held;
        while ((held = heldDuringHandover.pollFirst()) != null) {
            received(held.peer(), held.app());
        }
    }

    /** The role changed: drops the touches not yet sent and the held messages (the learners pass those on again). */
    void clear() {
        touched.clear();
        heldDuringHandover.clear();
    }
}
