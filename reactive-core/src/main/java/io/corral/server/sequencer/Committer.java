package io.corral.server.sequencer;

import io.corral.server.ops.ServerStats;
import io.corral.log.LogEntry;
import io.corral.log.TxnLog;
import io.corral.protocol.Acl;
import io.corral.protocol.ConnectResponse;
import io.corral.protocol.Create2Response;
import io.corral.protocol.CreateResponse;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.EventType;
import io.corral.protocol.GetDataResponse;
import io.corral.protocol.KeeperState;
import io.corral.protocol.MultiResponse;
import io.corral.protocol.MultiResult;
import io.corral.protocol.OpCode;
import io.corral.protocol.Perms;
import io.corral.protocol.Record;
import io.corral.protocol.StatResponse;
import io.corral.protocol.WatcherEvent;
import io.corral.server.auth.AccessControl;
import io.corral.server.session.SessionTracker;
import io.corral.server.tree.DataNode;
import io.corral.server.tree.DataTree;
import io.corral.server.tree.PathValidator;
import io.corral.server.txn.Txn;
import io.corral.server.txn.TxnCodec;
import io.corral.server.txn.TxnHeader;
import io.corral.server.watch.WatchManager;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The commit end of the write path: applies committed txns to the tree in zxid order, fires the watches each
 * change triggers (notifications are queued before the write's reply, so a client sees the event first), and
 * answers the request that proposed the txn.
 */
final class Committer {
    /** A txn between validation and commit, with the request to answer. */
    record Proposal(TxnHeader header, Txn txn, Inbound origin) {
    }

    /** Entries of the log after the recovered snapshot, applied before {@link #proposals}; null when none wait. */
    private LogTail tail;
    private final ArrayDeque<Proposal> proposals = new ArrayDeque<>();
    private long applied;
    private final DataTree tree;
    private final PendingChanges pending;
    private final WatchManager<Connection> watches;
    private final SessionTracker sessions;
    private final Outbox outbox;
    private final ServerStats stats;
    private final AccessControl acls;
    private final SessionBindings bindings;

    Committer(DataTree tree, PendingChanges pending, WatchManager<Connection> watches, SessionTracker sessions,
              Outbox outbox, ServerStats stats, AccessControl acls, SessionBindings bindings) {
        this.tree = tree;
        this.pending = pending;
        this.watches = watches;
        this.sessions = sessions;
        this.outbox = outbox;
        this.stats = stats;
        this.acls = acls;
        this.bindings = bindings;
    }

    void add(Proposal proposal) {
        proposals.addLast(proposal);
    }

    /**
     * The log's entries after the applied zxid, up to {@code end}, wait for their commit before every proposal
     * added later; they stay in the log until they are applied. Only on a committer with nothing queued.
     */
    void queueLogTail(TxnLog txnLog, long end) {
        if (tail != null || !proposals.isEmpty()) {
            throw new IllegalStateException("a log tail queues before every other proposal");
        }
        if (end > tree.lastAppliedZxid()) {
            tail = new LogTail(txnLog, tree.lastAppliedZxid(), end);
        }
        tree.digestSettlesAt(end); // a fuzzy snapshot with the log after it replayed is the state of the log's end
    }

    /** Whether a proposal is waiting that the commit point already covers. */
    boolean hasCommittable(long committedZxid) {
        LogEntry first = tailHead();
        if (first != null) {
            return first.zxid() <= committedZxid;
        }
        return !proposals.isEmpty() && proposals.peekFirst().header().zxid() <= committedZxid;
    }

    /** Zxid of the newest proposal waiting, or of the last one applied when none waits. */
    long lastQueuedZxid() {
        if (!proposals.isEmpty()) {
            return proposals.peekLast().header().zxid();
        }
        return tailHead() != null ? tail.end() : tree.lastAppliedZxid();
    }

    /**
     * Drops the waiting proposals above zxid: the new leader's history does not have them, so they were never
     * committed. Returns the requests they would have answered.
     */
    List<Inbound> dropAfter(long zxid) {
        List<Inbound> origins = new ArrayList<>();
        while (!proposals.isEmpty() && proposals.peekLast().header().zxid() > zxid) {
            Inbound origin = proposals.pollLast().origin();
            if (origin != null) {
                origins.add(origin);
            }
        }
        if (tail != null) {
            tail.cutAfter(zxid);
            tailHead();
        }
        return origins;
    }

    void clear() {
        proposals.clear();
        if (tail != null) {
            tail.close();
            tail = null;
        }
    }

    /** The log tail's next entry; drops the tail once it is used up. */
    private LogEntry tailHead() {
        if (tail == null) {
            return null;
        }
        LogEntry head = tail.peek();
        if (head == null) {
            tail.close();
            tail = null;
        }
        return head;
    }

    /** Keeps the waiting proposals (a new leader may still commit them) but forgets whom to answer. */
    void forgetOrigins() {
        int n = proposals.size();
        for (int i = 0; i < n; i++) {
            Proposal p = proposals.pollFirst();
            proposals.addLast(new Proposal(p.header(), p.txn(), null));
        }
    }

    long appliedCount() {
        return applied;
    }

    /**
     * Applies the proposals up to zxid, at most {@code budget} of them (the sequencer's other work gets its turn
     * between rounds); returns the connections whose held-back requests may now proceed.
     */
    List<Connection> commitUpTo(long zxid, int budget) {
        int left = budget;
        LogEntry logged;
        while (left > 0 && (logged = tailHead()) != null && logged.zxid() <= zxid) {
            tail.take();
            apply(new Proposal(LogEntries.headerOf(logged), TxnCodec.decode(logged.body()), null));
            applied++;
            left--;
        }
        if (tail != null) {
            return List.of();
        }
        List<Connection> unblocked = List.of(); // allocated only when needed: the idle loop calls this too
        while (left-- > 0 && !proposals.isEmpty() && proposals.peekFirst().header().zxid() <= zxid) {
            Proposal proposal = proposals.pollFirst();
            apply(proposal);
            applied++;
            Connection origin = proposal.origin() == null ? null : proposal.origin().connection();
            if (origin != null && !origin.state().waiting.isEmpty()) {
                if (unblocked.isEmpty()) {
                    unblocked = new ArrayList<>();
                }
                unblocked.add(origin);
            }
        }
        return unblocked;
    }

    private void apply(Proposal proposal) {
        TxnHeader header = proposal.header();
        Txn txn = proposal.txn();
        long zxid = header.zxid();
        Inbound origin = proposal.origin();
        int err = ErrorCode.OK;
        Record body = null;
        if (txn instanceof Txn.CreateSession createSession) {
            if (sessions.get(header.sessionId()) == null) {
                // recovery: the session was validated before the restart; live, validation already added it
                sessions.add(header.sessionId(), createSession.password(), createSession.timeout(),
                        System.currentTimeMillis());
            }
            tree.applied(zxid);
            answerHandshake(origin, header.sessionId(), createSession);
            pending.applied(zxid);
            return;
        }
        if (txn instanceof Txn.CloseSession close) {
            applyCloseSession(close, header, origin instanceof Request request ? request : null);
            return;
        }
        if (txn instanceof Txn.Error error) {
            err = error.err();
        } else if (txn instanceof Txn.Multi multi) {
            body = applyMulti(multi, zxid, header.time());
        } else {
            body = applyOne(txn, zxid, header.time());
            if (header.type() == OpCode.RECONFIG && txn instanceof Txn.SetData config
                    && body instanceof StatResponse stat) {
                body = new GetDataResponse(config.data(), stat.stat()); // ZooKeeper answers a reconfig so
            }
        }
        tree.applied(zxid);
        pending.applied(zxid);
        if (origin instanceof Request request) {
            outbox.reply(request, zxid, err, body);
        }
    }

    private void applyCloseSession(Txn.CloseSession close, TxnHeader header, Request origin) {
        long zxid = header.zxid();
        for (String path : close.ephemeralsToDelete()) {
            if (tree.get(path) != null) {
                applyDelete(path, zxid);
            }
        }
        sessions.remove(header.sessionId());
        Connection bound = bindings.unbind(header.sessionId());
        tree.applied(zxid);
        pending.applied(zxid);
        if (origin != null) {
            outbox.reply(origin, zxid, ErrorCode.OK, null);
            outbox.send(origin.connection, new Outbound.Close("session closed"));
        } else if (bound != null) {
            outbox.send(bound, new Outbound.Close("session expired"));
        }
    }

    private void answerHandshake(Inbound origin, long sessionId, Txn.CreateSession txn) {
        if (origin == null) {
            return;
        }
        ConnectionState state = origin.connection().state();
        if (state.session == null) { // created through the leader: this server learns the session on commit
            state.session = sessions.get(sessionId);
        }
        outbox.send(origin.connection(), new Outbound.Handshake(
                new ConnectResponse(0, txn.timeout(), sessionId, txn.password(), state.readOnlyRequested == null
                        ? null : Boolean.FALSE, state.extensions)));
    }

    private Record applyMulti(Txn.Multi multi, long zxid, long time) {
        List<MultiResult> results = new ArrayList<>(multi.ops().size());
        for (Txn op : multi.ops()) {
            if (op instanceof Txn.Error error) {
                results.add(MultiResult.error(error.err()));
                continue;
            }
            Record result = applyOne(op, zxid, time);
            results.add(new MultiResult(multiResultType(op), ErrorCode.OK, result));
        }
        return new MultiResponse(results);
    }

    private static int multiResultType(Txn op) {
        if (op instanceof Txn.Create create) {
            return create.withStat() ? OpCode.CREATE2 : OpCode.CREATE;
        }
        if (op instanceof Txn.Delete) {
            return OpCode.DELETE;
        }
        if (op instanceof Txn.SetData) {
            return OpCode.SET_DATA;
        }
        return OpCode.CHECK;
    }

    private Record applyOne(Txn txn, long zxid, long time) {
        // The existence checks below only matter when recovery replays txns that a fuzzy snapshot already holds
        // (live, validation guarantees them): replaying must be idempotent.
        if (txn instanceof Txn.Create create) {
            if (tree.get(create.path()) != null) {
                tree.touchParent(create.path(), create.parentCversion(), zxid);
                return null;
            }
            DataNode node = tree.create(create.path(), create.data(), create.acl(), create.ephemeralOwner(),
                    create.parentCversion(), zxid, time);
            String parent = PathValidator.parent(create.path());
            fire(create.path(), EventType.NODE_CREATED, zxid, node.acl());
            fire(parent, EventType.NODE_CHILDREN_CHANGED, zxid, tree.get(parent).acl());
            return create.withStat() ? new Create2Response(create.path(), node.stat())
                    : new CreateResponse(create.path());
        }
        if (txn instanceof Txn.Delete delete) {
            if (tree.get(delete.path()) != null) {
                applyDelete(delete.path(), zxid);
            }
            return null;
        }
        if (txn instanceof Txn.SetData setData) {
            DataNode node = tree.get(setData.path());
            if (node == null) {
                return null;
            }
            tree.setData(setData.path(), node, setData.data(), setData.version(), zxid, time);
            fire(setData.path(), EventType.NODE_DATA_CHANGED, zxid, node.acl());
            return new StatResponse(node.stat());
        }
        if (txn instanceof Txn.SetAcl setAcl && tree.get(setAcl.path()) != null) {
            return new StatResponse(tree.setAcl(setAcl.path(), setAcl.acl(), setAcl.version()).stat());
        }
        return null;
    }

    private void applyDelete(String path, long zxid) {
        DataNode node = tree.delete(path, zxid);
        String parent = PathValidator.parent(path);
        fire(path, EventType.NODE_DELETED, zxid, node.acl());
        fire(parent, EventType.NODE_CHILDREN_CHANGED, zxid, tree.get(parent).acl());
    }

    /** Notifies the watchers of path that may read it (ZooKeeper 3.9.2+ filters events by READ permission). */
    private void fire(String path, int eventType, long zxid, List<Acl> acl) {
        if (watches.isEmpty()) {
            return; // no watch anywhere: no table to look path up in, no callback to allocate
        }
        watches.trigger(path, eventType, connection -> {
            if (acls.permits(acl, Perms.READ, connection.state().authIds())) {
                stats.recordPacketSent();
                outbox.send(connection, new Outbound.Notification(zxid,
                        new WatcherEvent(eventType, KeeperState.SYNC_CONNECTED, path)));
            }
        });
    }
}
