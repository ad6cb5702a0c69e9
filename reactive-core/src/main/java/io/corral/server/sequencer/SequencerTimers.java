package io.corral.server.sequencer;

import io.corral.protocol.OpCode;
import io.corral.protocol.PathRequest;
import io.corral.server.config.ServerConfig;
import io.corral.server.session.Session;
import io.corral.server.session.SessionTracker;
import io.corral.server.tree.DataTree;
import io.corral.server.txn.Txn;
import io.corral.server.txn.TxnHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sequencer does because time passed rather than because a request arrived: it ends a hold on client
 * connections that no leader came to serve, and the serving leader expires sessions and reaps empty containers by
 * proposing their txns. Kept apart from the request loop, which runs it once a round and parks until its next
 * deadline; sequencer thread.
 */
final class SequencerTimers {
    /** The sequencer's logger, as before this class was split off: log settings that name it still apply. */
    private static final Logger log = LoggerFactory.getLogger(Sequencer.class);

    private final Sequencer sequencer;
    private final ServerConfig config;
    private final DataTree tree;
    private final SessionTracker sessions;
    private final LeaderChangeHold hold;
    private final WriteValidator validator;
    private final ContainerReaper reaper;
    private long nextReapAt;

    SequencerTimers(Sequencer sequencer, LeaderChangeHold hold, WriteValidator validator) {
        this.sequencer = sequencer;
        this.config = sequencer.config();
        this.tree = sequencer.tree;
        this.sessions = sequencer.sessions;
        this.hold = hold;
        this.validator = validator;
        this.reaper = new ContainerReaper(tree, config.containerCheckIntervalMs(), config.containerMaxPerMinute(),
                config.containerMaxNeverUsedIntervalMs());
        this.nextReapAt = System.currentTimeMillis() + config.containerCheckIntervalMs();
    }

    /** The leader's next deadline (System.currentTimeMillis): a session's expiry bucket or the container check. */
    long nextLeaderDeadline() {
        return Math.min(sessions.nextExpiry(), nextReapAt);
    }

    void run(long now) {
        if (hold.expired(now)) {
            log.info("No leader serves after {} ms: closing the {} client connections held meanwhile",
                    hold.heldSinceMillis(now), sequencer.connections.size());
            sequencer.closeAll("no leader within the hold time");
        }
        if (!sequencer.leads() || !sequencer.serving()) {
            return; // the leader alone expires sessions and reaps containers; learners apply its txns
        }
        for (Session session : sessions.expire(now)) {
            log.info("Expiring session 0x{}, timeout of {}ms exceeded", Long.toHexString(session.id()),
                    session.timeout());
            long zxid = sequencer.nextZxid();
            Txn txn = validator.closeSession(session.id(), zxid, tree.ephemeralsOf(session.id()));
            sequencer.propose(new TxnHeader(session.id(), 0, zxid, now, OpCode.CLOSE_SESSION), txn, null);
        }
        if (now >= nextReapAt) {
            nextReapAt = now + config.containerCheckIntervalMs();
            for (String path : reaper.candidates(now)) {
                long zxid = sequencer.nextZxid();
                Txn txn = validator.validate(OpCode.DELETE_CONTAINER, new PathRequest(path), zxid, 0, null, false);
                sequencer.propose(new TxnHeader(0, 0, zxid, now, OpCode.DELETE_CONTAINER), txn, null);
            }
        }
    }
}
