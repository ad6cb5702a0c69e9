package io.corral.server.sequencer;

import io.corral.protocol.ErrorCode;
import io.corral.protocol.OpCode;
import io.corral.protocol.Id;
import io.corral.server.auth.AccessControl;
import io.corral.server.config.ServerConfig;
import io.corral.server.config.ServerLines;
import io.corral.server.ops.FourLetterWordAnswers;
import io.corral.server.ops.InspectableServer;
import io.corral.server.ops.ServerStats;
import io.corral.server.quorum.LogQuorum;
import io.corral.server.quorum.Quorum;
import io.corral.server.quorum.QuorumHost;
import io.corral.server.quorum.ZabQuorum;
import io.corral.server.session.Session;
import io.corral.server.session.SessionTracker;
import io.corral.server.tree.DataTree;
import io.corral.server.txn.Txn;
import io.corral.server.txn.TxnHeader;
import io.corral.server.watch.WatchManager;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.corral.log.TxnLog;
import io.corral.server.snapshot.LoadedSnapshot;
import io.corral.server.snapshot.SnapshotTaker;
import io.corral.server.stream.StreamHub;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The single thread that owns all ordering state: it drains requests from a bounded lock-free queue in batches,
 * validates writes and assigns their zxids, proposes them to the {@link Quorum}, applies what is committed, and
 * answers reads, in each session's order. Event loops only decode and encode; nothing here blocks on I/O.
 *
 * <p>This class is the loop; its other concerns are classes of their own that work on this thread: the sessions'
 * handshakes ({@link SessionAdmission}), what time triggers ({@link SequencerTimers}), the quorum's upcalls
 * ({@link SequencerHost}), the snapshots ({@link SnapshotSchedule}), and the operators' requests, which
 * {@link OperatorAccess} takes from their threads and queues for this one.
 */
public final class Sequencer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sequencer.class);
    private static final int BATCH = 1024;
    /**
     * Committed txns applied per round of the loop at most: a learner that restarted on a long log tail applies it
     * when the leader commits it, and keeps answering its peers meanwhile.
     */
    private static final int COMMIT_BUDGET = 16_384;
    /** How often a snapshot being written and clients held through an election are looked at while idle. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** The longest idle sleep with no deadline due (a safety net: work that arrives wakes the sequencer). */
    private static final long MAX_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ServerConfig config;
    private final MpscArrayQueue<Inbound> queue;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean parked;
    private final IdleStrategy idle;
    /** {@link #dispatchOrClose} as the queue's consumer, made once: the loop drains the queue on every round. */
    private final MessagePassingQueue.Consumer<Inbound> dispatcher = this::dispatchOrClose;

    final DataTree tree = new DataTree();
    final SessionTracker sessions;
    final WatchManager<Connection> watches = new WatchManager<>();
    final ServerStats stats = new ServerStats();
    final Set<Connection> connections = new LinkedHashSet<>();
    private final PendingChanges pending = new PendingChanges(tree);
    /** The ACL checks of reads, writes, watches and streams, under skipACL and letAnySaslUserDoX. */
    private final AccessControl acls;
    private final WriteValidator validator;
    private final Outbox outbox = new Outbox(stats);
    private final Reads reads;
    private final Committer committer;
    private final TxnLog txnLog;
    private final Path snapshotDir;
    private final SnapshotTaker snapshots;
    private final Backups backups;
    private final SnapshotSchedule snapshotSchedule;
    /** Standalone, the local log; in an ensemble, the ZAB shell. */
    private Quorum quorum;
    private final LearnerForwarding forwarding = new LearnerForwarding();
    private final LeaderChangeHold hold;
    private final SessionBindings bindings = new SessionBindings();
    private final SequencerView view = new SequencerView(this);
    private final Inspections inspections = new Inspections(view);
    private final FourLetterWordAnswers fourLetterWords;
    private final ZxidCounter zxids = new ZxidCounter();
    private final StateReplacement replacement;
    private final HandOverOnStop handOverOnStop = new HandOverOnStop();
    private final LogFailureStop logFailure = new LogFailureStop();
    private final SessionAuthentication authentication;
    private final StreamHub streams;
    private final StreamRequests streamRequests;
    final ClientAddressFollower clientAddress;
    private final SessionAdmission admission;
    private final SequencerTimers timers;
    private final OperatorAccess operatorAccess;

    public Sequencer(ServerConfig config, TxnLog txnLog, Path snapshotDir) {
        this.config = config;
        this.txnLog = txnLog;
        this.snapshotDir = snapshotDir;
        this.snapshots = new SnapshotTaker(snapshotDir, txnLog, config.snapRetainCount(),
                config.purgeIntervalHours(), millis -> stats.snapshotTime().record(millis));
        this.backups = new Backups(snapshotDir, txnLog);
        txnLog.onSync(nanos -> stats.fsyncTime().record(TimeUnit.NANOSECONDS.toMillis(nanos)));
        this.idle = new IdleStrategy(config.idleStrategy());
        this.queue = new MpscArrayQueue<>(Math.max(64, config.globalOutstandingLimit()));
        long serverId = config.ensemble().map(e -> e.myId()).orElse(1L);
        this.sessions = new SessionTracker(config.tickTime(), serverId, System.currentTimeMillis());
        this.acls = new AccessControl(config.skipAcl(), config.sasl().letAnySaslUserDoX());
        this.validator = new WriteValidator(pending, config.extendedTypesEnabled(), acls,
                config.tls().client() != null, config.sasl().providerEnabled(),
                new QuotaCheck(tree, config.enforceQuota()), new ReconfigPlanner(() -> quorum,
                        config.ensemble().map(e -> e.standaloneEnabled()).orElse(true)));
        this.reads = new Reads(tree, watches, outbox, acls, config.juteMaxBuffer());
        this.committer = new Committer(tree, pending, watches, sessions, outbox, stats, acls, bindings);
        if (!config.digestEnabled()) {
            tree.disableDigest();
        }
        this.fourLetterWords = new FourLetterWordAnswers(view);
        this.authentication = new SessionAuthentication(config, outbox, stats);
        this.streams = new StreamHub(txnLog, 0);
        this.streamRequests = new StreamRequests(tree, outbox, streams, acls, config.juteMaxBuffer());
        this.hold = new LeaderChangeHold(config.clientHoldDuringElectionMs(), config.globalOutstandingLimit());
        this.replacement = new StateReplacement(tree, sessions, committer, pending, snapshots, backups, streams, zxids,
                snapshotDir, this::closeAll, this::writeConfigNode);
        this.clientAddress = new ClientAddressFollower(config.ensemble().map(e -> e.myId()).orElse(0L),
                config.clientAddress());
        this.admission = new SessionAdmission(this, bindings, outbox, forwarding, streamRequests);
        this.timers = new SequencerTimers(this, hold, validator);
        this.operatorAccess = new OperatorAccess(this, inspections, backups, replacement, snapshotDir);
        this.snapshotSchedule = new SnapshotSchedule(config, snapshots, backups, tree, sessions, this::wake);
        this.thread = new Thread(this::run, "corral-sequencer");
        this.thread.setDaemon(true);
    }

    /**
     * Recovers the state from {@code snapshot} (the newest valid one of the snapshot directory, see
     * {@link LoadedSnapshot#load}) plus the log after it; before {@link #start()}.
     */
    public long recover(LoadedSnapshot snapshot) {
        Recovery recovery = new Recovery(replacement, committer, txnLog, tree);
        return config.ensemble().isPresent() ? recovery.recoverQueued(snapshot) : recovery.recover(snapshot);
    }

    /** Starts taking requests; zxids continue after the last recovered one. */
    public void start() {
        long lastZxid = tree.lastAppliedZxid();
        zxids.continueAfter(lastZxid);
        writeConfigNode();
        QuorumHost host = new SequencerHost(this, admission, committer, pending, forwarding, hold, zxids, replacement,
                handOverOnStop);
        if (config.ensemble().isPresent()) {
            ZabQuorum zab = ZabQuorum.open(host, config, txnLog, lastZxid, this::wake);
            zab.onElectionTime(millis -> stats.electionTime().record(millis));
            quorum = zab;
            writeConfigNode(); // the log may have committed a configuration newer than the files'
        } else {
            quorum = new LogQuorum(txnLog, lastZxid, this::wake, host);
        }
        streams.applied(lastZxid);
        streams.start();
        thread.start();
    }

    void wake() {
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Hands a request to the sequencer; false when the queue is full (the caller stops reading its socket and
     * retries: back-pressure instead of an unbounded queue).
     */
    public boolean offer(Inbound inbound) {
        if (!queue.offer(inbound)) {
            return false;
        }
        wake();
        return true;
    }

    /** The sequencer as the operators' endpoints reach it (see {@link OperatorAccess}). */
    public InspectableServer operatorAccess() {
        return operatorAccess;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        snapshots.close();
        streams.close();
        if (quorum != null) {
            quorum.close();
        }
        committer.clear(); // closes its reader of the log
    }

    private void run() {
        while (running) {
            int drained = 0;
            try {
                handOverOnStop.startIfAsked(quorum, leads() && serving() && config.ensemble().isPresent());
                drained += quorum.poll();
                if (quorum.hasRoom()) {
                    drained += queue.drain(dispatcher, BATCH);
                }
                drained += commit();
                timers.run(System.currentTimeMillis());
                drained += inspections.run();
                // the answers go out before a sync on this thread (standalone) makes the next ones wait for it;
                // the next round commits what that sync made durable
                outbox.flush();
                quorum.endOfRound();
                logFailure.check(quorum, this::closeAll);
            } catch (InternalError e) {
                // a fault of the mapped log files (a full disk), raised wherever this thread, which writes the log
                // inline, ran next: the files may lack an acknowledged write the journal holds; the log stops (no
                // checkpoint vouches for the files) and so does the server
                log.error("Sequencer failed: taken for a fault of the txn log's mapped files", e);
                txnLog.failed(e);
                logFailure.check(quorum, this::closeAll);
            } catch (RuntimeException | Error e) {
                log.error("Sequencer failed while processing a batch", e);
            } finally {
                outbox.flush();
            }
            if (drained > 0) {
                idle.reset();
            } else {
                idleOnce();
            }
        }
    }

    private void idleOnce() {
        if (idle.spinOrYield()) {
            return;
        }
        parked = true;
        if (queue.isEmpty() && inspections.isEmpty() && running && !committer.hasCommittable(quorum.committedZxid())
                && quorum.idle()) {
            LockSupport.parkNanos(this, idleParkNanos(System.currentTimeMillis()));
        }
        parked = false;
    }

    /**
     * Until the next thing the {@link SequencerTimers} or the quorum has to do (a session's expiry bucket, the
     * container check, the quorum's timer), so an idle server does not wake on a fixed tick; what arrives meanwhile
     * unparks it.
     */
    private long idleParkNanos(long now) {
        long nanos = Math.min(MAX_PARK_NANOS, quorum.nanosToNextTimer());
        if (leads() && serving()) {
            long due = timers.nextLeaderDeadline();
            // a millisecond late, so that the clock has passed the deadline when it runs
            nanos = Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(Math.max(0, due - now) + 1));
        }
        if (snapshots.busy() || backups.busy() || hold.active()) {
            nanos = Math.min(nanos, POLL_NANOS);
        }
        return Math.max(1, nanos);
    }

    /**
     * A request the server fails on (a bug) closes its connection with a log line: unanswered, it would keep its
     * client waiting for ever while the session's pings are answered; the client reconnects and asks again.
     */
    private void dispatchOrClose(Inbound inbound) {
        try {
            dispatch(inbound);
        } catch (RuntimeException e) {
            log.error("Failed on {} of session 0x{}; closing its connection", inbound instanceof Request r
                    ? "a request of type " + r.type : inbound.getClass().getSimpleName(),
                    Long.toHexString(inbound.connection().state().sessionId), e);
            close(inbound.connection(), "the server failed on a request of this connection");
        }
    }

    private void dispatch(Inbound inbound) {
        Connection connection = inbound.connection();
        ConnectionState state = connection.state();
        if (inbound instanceof Inbound.Disconnected) {
            admission.disconnected(connection);
            return;
        }
        stats.recordRequest(); // a packet, as ZooKeeper counts them: a four-letter word too, a disconnection not
        if (state.closed) {
            return;
        }
        state.received++;
        if (inbound instanceof Inbound.Connect connect) {
            if (serving()) {
                admission.connect(connect);
            } else if (logFailure.failed() || !hold.hold(connect)) {
                outbox.send(connection, new Outbound.Close(notServing()));
            }
        } else if (inbound instanceof Inbound.FourLetterWord word) {
            outbox.send(connection, new Outbound.Text(fourLetterWords.answer(word.word(), view.statsOf(connection))));
            outbox.send(connection, new Outbound.Close("four-letter word answered"));
            stats.recordPacketSent(); // after the answer: srvr's Sent leaves itself out, as ZooKeeper's
        } else if (!serving()) {
            holdOrClose((Request) inbound);
        } else if (!state.waiting.isEmpty()) {
            state.waiting.addLast((Request) inbound);
        } else {
            process((Request) inbound);
        }
    }

    /** Processes held-back requests of a connection until one must wait for a write again. */
    void drainWaiting(Connection connection) {
        ConnectionState state = connection.state();
        while (serving() && !hold.active() && !state.waiting.isEmpty() && !state.closed) {
            Request next = state.waiting.peekFirst();
            if (!consumesZxid(next) && mustWait(state)) {
                return;
            }
            state.waiting.pollFirst();
            process(next);
        }
    }

    void process(Request request) {
        Connection connection = request.connection;
        ConnectionState state = connection.state();
        if (!serving()) {
            holdOrClose(request);
            return;
        }
        if (request.type != OpCode.AUTH && request.type != OpCode.SASL && !authentication.admits(request)) {
            close(connection, "the session did not authenticate with a required scheme");
            return;
        }
        Session session = state.session;
        if (session != null) {
            sessions.touch(session, System.currentTimeMillis());
            quorum.touched(session.id());
        }
        if (consumesZxid(request)) {
            if (leads()) {
                propose(request, session);
            } else {
                forward(request, state);
            }
        } else if (mustWait(state)) {
            state.waiting.addLast(request);
        } else if (request.type == OpCode.SYNC && request.error == 0) {
            // answered once this server has applied what the quorum answers (an ensemble: a read index)
            forwarding.syncForwarded(request);
            quorum.sync();
        } else {
            answer(request, session);
        }
    }

    /** Not serving: the request waits for a new leader while connections are held, else the connection closes. */
    private void holdOrClose(Request request) {
        if (!logFailure.failed() && hold.admit()) {
            request.connection.state().waiting.addLast(request);
        } else {
            close(request.connection, notServing());
        }
    }

    private String notServing() {
        return "this server is not serving: " + (logFailure.failed() ? "its transaction log failed" : quorum.mode());
    }

    /** Whether a read must wait behind this connection's writes (FIFO order per session). */
    private boolean mustWait(ConnectionState state) {
        return state.lastProposedZxid > tree.lastAppliedZxid() || state.forwarded > 0;
    }

    boolean leads() {
        return quorum.leads();
    }

    /**
     * Whether clients may be served: standalone, while its log works; in an ensemble, once synchronised with a
     * leader, and while its log works.
     */
    boolean serving() {
        return !logFailure.failed() && quorum.serving();
    }

    /**
     * {@code owner} is told (once, on the sequencer thread) when the transaction log failed: the server no longer
     * serves, and its connections are closed (see {@link LogFailureStop}). Before {@link #start()}.
     */
    public void onLogFailure(Consumer<Throwable> owner) {
        logFailure.onFailure(owner);
    }

    /** A learner passes a client's write to the leader; the commit stream brings it back to be answered. */
    private void forward(Request request, ConnectionState state) {
        List<Id> ids = List.copyOf(state.authIds);
        forwarding.forwarded(state.sessionId, request);
        quorum.forward(new ForwardedRequest(state.sessionId, request.xid, request.type, request.error, ids,
                request.body).encode());
    }

    /**
     * Writes reach the write path and consume a zxid even when they fail. Of the requests that did not decode,
     * only a multi (and a stray createSession) does, as in ZooKeeper 3.9.5; the others are answered like reads.
     */
    private static boolean consumesZxid(Request request) {
        if (request.error == 0) {
            return isWrite(request.type);
        }
        return request.error == ErrorCode.MARSHALLING_ERROR
                && (request.type == OpCode.MULTI || request.type == OpCode.CREATE_SESSION);
    }

    static boolean isWrite(int type) {
        return switch (type) {
            case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER, OpCode.CREATE_TTL, OpCode.DELETE,
                    OpCode.SET_DATA, OpCode.SET_ACL, OpCode.MULTI, OpCode.RECONFIG, OpCode.CLOSE_SESSION -> true;
            default -> false;
        };
    }

    private void answer(Request request, Session session) {
        Connection connection = request.connection;
        long zxid = tree.lastAppliedZxid();
        if (request.error == ErrorCode.UNIMPLEMENTED) {
            if (request.type != OpCode.DELETE_CONTAINER) {
                outbox.reply(request, -1, ErrorCode.UNIMPLEMENTED, null);
            }
            outbox.send(connection, new Outbound.Close("unsupported opcode " + request.type));
            return;
        }
        if (request.error != 0) {
            outbox.reply(request, zxid, request.error, null);
            return;
        }
        switch (request.type) {
            case OpCode.PING -> outbox.send(connection, new Outbound.Reply(-2, zxid, ErrorCode.OK, null));
            case OpCode.AUTH -> authentication.authenticate(request);
            case OpCode.SASL -> authentication.saslStep(request);
            case OpCode.CORRAL_SUBSCRIBE -> streamRequests.subscribe(request);
            case OpCode.CORRAL_UNSUBSCRIBE -> streamRequests.unsubscribe(request);
            default -> reads.answer(request);
        }
    }

    private void propose(Request request, Session session) {
        ConnectionState state = request.connection == null ? null : request.connection.state();
        long sessionId = state == null ? 0 : state.sessionId;
        long zxid = nextZxid();
        Txn txn;
        if (request.error != 0) {
            txn = new Txn.Error(request.error);
        } else if (request.type == OpCode.CLOSE_SESSION) {
            txn = validator.closeSession(sessionId, zxid, tree.ephemeralsOf(sessionId));
            if (session != null) {
                sessions.markClosing(session);
            }
        } else {
            boolean closing = state != null && (session == null || session.isClosing());
            txn = validator.validate(request.type, request.body, zxid, sessionId,
                    state == null ? null : state.authIds, closing);
        }
        if (state != null) {
            state.lastProposedZxid = zxid;
        }
        propose(new TxnHeader(sessionId, request.xid, zxid, System.currentTimeMillis(), request.type), txn,
                request);
    }

    void propose(TxnHeader header, Txn txn, Inbound origin) {
        // queued for commit first: an ensemble's quorum reports the entry back as learned, which must be a no-op
        committer.add(new Committer.Proposal(header, txn, origin));
        quorum.propose(LogEntries.of(header, txn));
    }

    long nextZxid() {
        return zxids.next();
    }

    /** Applies what the quorum has committed, at most {@link #COMMIT_BUDGET} txns; returns how many were applied. */
    int commit() {
        int applied = 0;
        List<Connection> unblocked;
        do {
            long before = committer.appliedCount();
            unblocked = committer.commitUpTo(quorum.committedZxid(), COMMIT_BUDGET - applied);
            applied += (int) (committer.appliedCount() - before);
            for (Connection connection : unblocked) {
                drainWaiting(connection);
            }
            for (Request sync : forwarding.syncsDone(tree.lastAppliedZxid())) {
                if (!sync.connection.state().closed) {
                    reads.answer(sync);
                    drainWaiting(sync.connection);
                }
            }
        } while (!unblocked.isEmpty() && applied < COMMIT_BUDGET);
        streams.applied(tree.lastAppliedZxid());
        snapshotSchedule.maybeSnapshot(applied);
        return applied;
    }

    /** The quorum, for the four-letter word that transfers leadership and the quorum's upcalls (on this thread). */
    Quorum quorum() {
        return quorum;
    }

    /**
     * Asks the sequencer, from any thread, to hand leadership over to the most up-to-date follower if this server
     * leads, and waits for the outcome (a server stopping does this first, so that the ensemble elects at once
     * instead of after a timeout).
     *
     * @return whether leadership was handed over within {@code timeoutMillis}; false if this server did not lead
     */
    public boolean handOverLeadership(long timeoutMillis) throws InterruptedException {
        return handOverOnStop.await(() -> LockSupport.unpark(thread), timeoutMillis);
    }

    void closeAll(String reason) {
        for (Connection connection : List.copyOf(connections)) {
            close(connection, reason);
        }
        for (Inbound.Connect handshake : hold.end()) {
            close(handshake.connection(), reason);
        }
        forwarding.clear();
        committer.forgetOrigins();
    }

    void close(Connection connection, String reason) {
        ConnectionState state = connection.state();
        if (!state.closed) {
            outbox.send(connection, new Outbound.Close(reason));
            state.closed = true;
            state.waiting.clear();
        }
    }

    /** The resumable watch streams' hub (connections wake it when their stream queue has room again). */
    public StreamHub streams() {
        return streams;
    }

    /**
     * This server's membership in {@code /zookeeper/config}, as ZooKeeper puts it there at start-up and after each
     * synchronisation with a leader (it is not replicated: the configuration is local): the data of
     * {@link io.corral.server.config.EnsembleConfig#configText()}, mzxid the configuration's version, mtime now, Stat
     * version -1. Standalone, the node stays as the tree made it: empty, as ZooKeeper's. With reconfiguration, the
     * configuration in force (the last activated).
     */
    void writeConfigNode() {
        config.ensemble().ifPresent(e -> {
            ServerLines lines = quorum == null || quorum.configuration() == null
                    ? e.serverLines() : quorum.configuration();
            tree.setData("/zookeeper/config", lines.configText().getBytes(StandardCharsets.UTF_8), -1,
                    lines.version(), System.currentTimeMillis());
        });
    }

    /** Hears each new client address a reconfiguration gives this server (see {@link ClientAddressFollower}). */
    public void onClientAddressMoved(Consumer<InetSocketAddress> listener) {
        clientAddress.onMoved(listener);
    }

    Path snapshotDirectory() {
        return snapshotDir;
    }

    // --- read by SequencerView, the operators' side's view (on the sequencer thread) ---

    ServerConfig config() {
        return config;
    }

    AccessControl acls() {
        return acls;
    }

    long outstanding() {
        return queue.size();
    }
}
