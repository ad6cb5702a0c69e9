package io.corral.server.sequencer;

import io.corral.log.LogEntry;
import io.corral.log.TxnLog;
import io.corral.protocol.MarshallingException;
import io.corral.server.config.EnsembleConfig;
import io.corral.server.config.ServerConfig;
import io.corral.server.peer.PeerEvent;
import io.corral.server.peer.PeerTransport;
import io.corral.server.txn.Txn;
import io.corral.server.txn.TxnHeader;
import io.corral.server.zab.ZabCodec;
import io.corral.server.zab.ZabConfig;
import io.corral.server.zab.ZabMessage;
import io.corral.server.zab.ZabNode;
import io.corral.server.zab.ZabOutput;
import io.corral.server.zab.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The I/O shell around the ZAB core ({@link ZabNode}) for an ensemble member. It runs on the sequencer thread, which
 * owns the core like all ordering state: peer messages arrive through the transport's bounded queue, ticks come
 * from the clock, "durable up to" from the log writer; the core's outputs are carried out here, in order (send,
 * append, truncate, persist epochs, commit, snapshots, role changes). Besides the protocol it carries the
 * learners' traffic the core does not interpret: forwarded writes, session touches and syncs.
 */
final class ZabQuorum implements Quorum {
    private static final Logger log = LoggerFactory.getLogger(ZabQuorum.class);
    static final int APP_FORWARD = 1;
    static final int APP_TOUCH = 2;
    static final int APP_SYNC = 3;
    static final int APP_SYNC_DONE = 4;
    /** The requester of a read index that is this server's own client. */
    private static final long LOCAL = -1;
    /**
     * The longest core tick. The protocol's timers run in core ticks, ZooKeeper's limits stay in tickTimes; a
     * failover waits out about two core ticks (an election decides at the tick after a quorum agreed, and a follower
     * that chose its leader before the leader knew it leads says so again at its next tick), so a tenth of
     * tickTime (200 ms with tickTime=2000) is too coarse.
     */
    private static final int MAX_TICK_MILLIS = 50;
    /** At least this many core ticks per tickTime, as before: a tenth of tickTime when that is under 50 ms. */
    private static final int MIN_TICKS_PER_TICKTIME = 10;
    private static final int MAX_EVENTS_PER_POLL = 4096;
    /** A snapshot travels as one message: this bounds the state a learner can be sent (and a peer can claim). */
    private static final int MAX_PEER_FRAME = 512 << 20;
    /** Uncommitted proposals a leader holds at most; the sequencer stops taking requests well before. */
    private static final int MAX_OUTSTANDING = 16_384;
    private static final int OUTSTANDING_HEADROOM = 4_096;

    private final Sequencer sequencer;
    private final ServerConfig config;
    private final LogAppender appender;
    private final LogStorage storage;
    private final EpochFiles epochs;
    private final ZabNode node;
    private final ZabCodec codec = new ZabCodec(MAX_PEER_FRAME);
    private final PeerTransport transport;
    private final int ticksPerTickTime;
    private final long tickMillis;
    private final Map<Long, Long> links = new HashMap<>();
    private final Set<Long> touched = new LinkedHashSet<>();
    /** Read-index requests of syncs on their way through the core: token to the learner that asked, or LOCAL. */
    private final Map<Long, Long> syncsConfirming = new HashMap<>();
    private long nextSyncToken;
    private ZabMessage lastEncoded;
    private byte[] lastEncoding;
    private long nextTick;
    private long reportedDurable;
    private long committed;
    private Role role = Role.LOOKING;
    private boolean serving;

    /**
     * @param appliedZxid the state recovered (the newest snapshot's zxid): committed; the log after it waits, queued
     *                    in the sequencer, for the core to commit or truncate it
     */
    ZabQuorum(Sequencer sequencer, ServerConfig config, EnsembleConfig ensemble, TxnLog txnLog, long appliedZxid,
              Runnable wake) {
        this.sequencer = sequencer;
        this.config = config;
        long logged = Math.max(appliedZxid, txnLog.lastZxid());
        this.appender = new LogAppender(txnLog, logged, wake);
        this.epochs = new EpochFiles(config.dataDir());
        this.storage = new LogStorage(txnLog, appender, epochs, appliedZxid);
        this.reportedDurable = logged;
        this.committed = appliedZxid;
        this.ticksPerTickTime = Math.max(MIN_TICKS_PER_TICKTIME,
                (config.tickTime() + MAX_TICK_MILLIS - 1) / MAX_TICK_MILLIS);
        this.tickMillis = Math.max(10, config.tickTime() / ticksPerTickTime);
        Set<Long> voters = new TreeSet<>();
        Set<Long> observers = new TreeSet<>();
        Map<Long, InetSocketAddress> peers = new HashMap<>();
        for (EnsembleConfig.Member m : ensemble.members().values()) {
            (m.observer() ? observers : voters).add(m.id());
            if (m.id() != ensemble.myId()) {
                peers.put(m.id(), m.peerAddress());
            }
        }
        ZabConfig zabConfig = new ZabConfig(ensemble.myId(), voters, observers,
                ensemble.initLimit() * ticksPerTickTime, ensemble.syncLimit() * ticksPerTickTime,
                electionTimeoutTicks(), ensemble.myId() * 31 + System.nanoTime(), ensemble.learnerDiffLimit(),
                MAX_OUTSTANDING);
        long indexing = System.nanoTime();
        this.node = new ZabNode(zabConfig, storage, appliedZxid); // reads the whole log once, for its epochs
        long indexed = System.nanoTime();
        this.transport = new PeerTransport(ensemble.myId(), ensemble.me().peerAddress(), peers,
                MAX_PEER_FRAME,
                frame -> codec.decode(frame.nioBuffer()), wake);
        this.nextTick = System.currentTimeMillis() + tickMillis;
        log.info("Server {} starts looking for a leader among {} (observers {}); its history up to 0x{} was indexed "
                        + "in {} ms", ensemble.myId(), voters, observers, Long.toHexString(storage.lastZxid()),
                (indexed - indexing) / 1_000_000);
    }

    /** A few hundred milliseconds, as ZooKeeper's first election timeout, in core ticks. */
    private int electionTimeoutTicks() {
        return (int) Math.max(2, 200 / tickMillis);
    }

    @Override
    public void propose(TxnHeader header, Txn txn) {
        node.propose(LogEntries.of(header, txn));
        perform();
    }

    @Override
    public long committedZxid() {
        return committed;
    }

    @Override
    public boolean hasRoom() {
        return appender.hasRoom() && node.outstanding() + node.pendingReadIndexes()
                < MAX_OUTSTANDING - OUTSTANDING_HEADROOM;
    }

    @Override
    public int poll() {
        int work = 0;
        long durable = appender.durableZxid();
        if (durable > reportedDurable) {
            reportedDurable = durable;
            storage.durableUpTo(durable);
            node.persisted(durable);
            work++;
        }
        PeerEvent event;
        while (work < MAX_EVENTS_PER_POLL && (event = transport.poll()) != null) {
            handle(event);
            work++;
        }
        long now = System.currentTimeMillis();
        if (now >= nextTick) {
            nextTick = now + tickMillis;
            node.tick();
            sendTouches();
        }
        perform();
        return work;
    }

    @Override
    public boolean idle() {
        return !transport.hasEvents() && appender.durableZxid() == reportedDurable;
    }

    @Override
    public long nanosToNextTimer() {
        return Math.max(0, nextTick - System.currentTimeMillis()) * 1_000_000L;
    }

    @Override
    public String mode() {
        if (role == Role.LEADING) {
            return "leader";
        }
        if (role == Role.FOLLOWING) {
            return "follower";
        }
        if (role == Role.OBSERVING) {
            return "observer";
        }
        return "looking";
    }

    boolean leads() {
        return role == Role.LEADING;
    }

    boolean serving() {
        return serving;
    }

    /** The leader's mntr lines about its learners, with ZooKeeper's names; none on a learner. */
    Map<String, Object> figures() {
        if (role != Role.LEADING) {
            return Map.of();
        }
        int[] counts = node.learnerCounts();
        Map<String, Object> figures = new java.util.LinkedHashMap<>();
        figures.put("zk_learners", counts[0]);
        figures.put("zk_synced_followers", counts[1]);
        figures.put("zk_synced_non_voting_followers", 0);
        figures.put("zk_synced_observers", counts[2]);
        return figures;
    }

    long myId() {
        return node.myId();
    }

    // --- learner traffic the core does not interpret ---

    void forward(byte[] request) {
        send(node.leaderId(), new ZabMessage.App(APP_FORWARD, request));
    }

    void forwardSync() {
        send(node.leaderId(), new ZabMessage.App(APP_SYNC, new byte[0]));
    }

    /**
     * A sync of this leader's own client: answered once a quorum confirmed this server still leads, with the commit
     * point it had when the sync arrived (a read index), so that the reads after it are linearizable.
     */
    void localSync() {
        confirmSync(LOCAL);
    }

    private void confirmSync(long requester) {
        long token = ++nextSyncToken;
        syncsConfirming.put(token, requester);
        node.readIndex(token);
    }

    void touched(long sessionId) {
        if (role != Role.LEADING) {
            touched.add(sessionId);
        }
    }

    private void sendTouches() {
        if (touched.isEmpty() || !serving) {
            touched.clear();
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate(8 * touched.size());
        touched.forEach(buf::putLong);
        touched.clear();
        send(node.leaderId(), new ZabMessage.App(APP_TOUCH, buf.array()));
    }

    private void send(long peer, ZabMessage message) {
        if (log.isTraceEnabled()) {
            log.trace("{} -> {}: {}", myId(), peer, message);
        }
        if (message != lastEncoded) { // a proposal or commit goes to every learner: encode it once
            lastEncoded = message;
            lastEncoding = codec.encode(message);
        }
        if (!transport.send(peer, lastEncoding) && log.isDebugEnabled()) {
            log.debug("Server {} has no link to {}; dropped {}", myId(), peer, message);
        }
    }

    private void handle(PeerEvent event) {
        long peer = event.peer();
        if (event instanceof PeerEvent.Connected) {
            links.put(peer, event.link());
            node.connected(peer);
        } else if (event instanceof PeerEvent.Disconnected) {
            if (links.remove(peer, event.link())) {
                node.disconnected(peer);
            }
        } else if (event instanceof PeerEvent.Received received) {
            if (log.isTraceEnabled()) {
                log.trace("{} <- {}: {}", myId(), peer, received.message());
            }
            if (!Long.valueOf(event.link()).equals(links.get(peer))) {
                return; // a late message of a link that was replaced
            }
            if (received.message() instanceof ZabMessage.App app) {
                application(peer, app);
            } else {
                node.receive(peer, (ZabMessage) received.message());
            }
        }
    }

    private void application(long peer, ZabMessage.App app) {
        try {
            switch (app.kind()) {
                case APP_FORWARD -> {
                    if (leads() && serving) {
                        sequencer.forwardedByLearner(peer, ForwardedRequest.decode(app.payload(),
                                config.juteMaxBuffer()));
                    }
                }
                case APP_TOUCH -> {
                    ByteBuffer buf = ByteBuffer.wrap(app.payload());
                    long[] ids = new long[buf.remaining() / 8];
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = buf.getLong();
                    }
                    if (leads()) {
                        sequencer.touchedByLearner(ids);
                    }
                }
                case APP_SYNC -> {
                    if (leads() && serving) {
                        confirmSync(peer);
                    }
                }
                case APP_SYNC_DONE -> sequencer.syncAnswered(ByteBuffer.wrap(app.payload()).getLong());
                default -> transport.disconnect(peer, "unknown application message kind " + app.kind());
            }
        } catch (MarshallingException | java.nio.BufferUnderflowException e) {
            transport.disconnect(peer, "malformed application message: " + e);
        }
    }

    /** Carries out what the core asked for, in its order. */
    private void perform() {
        for (ZabOutput output : node.drain().outputs()) {
            if (output instanceof ZabOutput.Send send) {
                send(send.to(), send.message());
            } else if (output instanceof ZabOutput.Persist persist) {
                LogEntry entry = persist.entry();
                appender.append(entry);
                storage.appended(entry);
                sequencer.learned(entry);
            } else if (output instanceof ZabOutput.Truncate truncate) {
                appender.truncateAfter(truncate.afterZxid());
                reportedDurable = appender.durableZxid();
                storage.truncatedAfter(truncate.afterZxid());
                sequencer.truncatedTo(truncate.afterZxid());
            } else if (output instanceof ZabOutput.PersistEpochs e) {
                epochs.write(e.acceptedEpoch(), e.currentEpoch());
            } else if (output instanceof ZabOutput.Commit commit) {
                committed = Math.max(committed, commit.zxid());
            } else if (output instanceof ZabOutput.TakeSnapshot take) {
                sequencer.applyCommitted();
                node.snapshotTaken(take.peer(), sequencer.appliedZxid(), sequencer.snapshotBytes());
            } else if (output instanceof ZabOutput.InstallSnapshot install) {
                appender.truncateAfter(0);
                reportedDurable = appender.durableZxid();
                sequencer.installSnapshot(install.zxid(), install.state());
                storage.snapshotInstalled(install.zxid());
                committed = Math.max(committed, install.zxid());
            } else if (output instanceof ZabOutput.ReadIndex confirmed) {
                Long requester = syncsConfirming.remove(confirmed.requestId());
                if (requester != null && requester == LOCAL) {
                    sequencer.syncAnswered(confirmed.index());
                } else if (requester != null) {
                    send(requester, new ZabMessage.App(APP_SYNC_DONE,
                            ByteBuffer.allocate(8).putLong(confirmed.index()).array()));
                }
            } else if (output instanceof ZabOutput.ReadIndexFailed failed) {
                // the term ends: the RoleChange that follows closes the clients whose syncs waited
                syncsConfirming.remove(failed.requestId());
            } else if (output instanceof ZabOutput.RoleChange change) {
                roleChanged(change);
            } else if (output instanceof ZabOutput.Serving) {
                if (role == Role.LEADING) {
                    sequencer.leading(node.epoch(), node.lastZxid());
                }
                serving = true;
                log.info("Server {} serves clients as {} in epoch {}", myId(), mode(), node.epoch());
            }
        }
    }

    private void roleChanged(ZabOutput.RoleChange change) {
        Role previous = role;
        role = change.role();
        serving = false;
        touched.clear();
        syncsConfirming.clear();
        log.info("Server {}: {} -> {} (epoch {}, leader {}): {}", myId(), previous, role, change.epoch(),
                change.leaderId(), node.lastChange());
        sequencer.roleChanged(mode());
    }

    @Override
    public void close() {
        transport.close();
        appender.close();
    }
}
