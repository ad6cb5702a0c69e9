package io.corral.server.quorum;

import io.corral.log.LogEntry;
import io.corral.log.TxnLog;
import io.corral.server.config.ServerLines;
import io.corral.server.config.ServerConfig;
import io.corral.server.peer.PeerEvent;
import io.corral.server.peer.PeerNetwork;
import io.corral.server.zab.ZabCodec;
import io.corral.server.zab.ZabConfig;
import io.corral.server.zab.ZabMessage;
import io.corral.server.zab.ZabNode;
import io.corral.server.zab.ZabOutput;
import io.corral.server.zab.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The I/O shell around the ZAB core ({@link ZabNode}) for an ensemble member. It runs on the sequencer thread, which
 * owns the core like all ordering state: peer messages arrive through the {@link PeerNetwork}, ticks come from the
 * clock, "durable up to" from the {@link ReplicaLog}; the core's outputs are carried out here, in order (send,
 * append, truncate, persist epochs, commit, snapshots, role changes), the log's through {@link LogProgress}, the state
 * machine's part through the {@link QuorumHost}. Besides the protocol it carries the learners' traffic the core does
 * not interpret ({@link LearnerTraffic}): forwarded writes, session touches and syncs ({@link ReadIndexSyncs}). The
 * network, the log, the epochs and the clock are given to it, so the simulation drives this very class over
 * simulated ones; {@link ZabQuorumFactory} puts a real server's together.
 */
public final class ZabQuorum implements Quorum {
    private static final Logger log = LoggerFactory.getLogger(ZabQuorum.class);
    /**
     * Core ticks per tickTime: the protocol's timers run at a fortieth of a tick (50 ms for tickTime 2000), so that an
     * election's finalize wait and a learner's retries cost tens of milliseconds of a failover, not hundreds;
     * ZooKeeper's limits (initLimit, syncLimit) stay in ticks.
     */
    public static final int TICKS_PER_TICKTIME = 40;
    private static final int MAX_EVENTS_PER_POLL = 4096;
    /** Uncommitted proposals a leader holds at most; the sequencer stops taking requests well before. */
    public static final int MAX_OUTSTANDING = 16_384;
    private static final int OUTSTANDING_HEADROOM = 4_096;

    private final QuorumHost host;
    private final LogProgress logProgress;
    private final ZabNode node;
    private final PeerNetwork network;
    private final LongSupplier clock;
    private final long tickMillis;
    private final Map<Long, Long> links = new HashMap<>();
    private final SnapshotTransfers snapshots = new SnapshotTransfers();
    private final LearnerFigures learnerFigures = new LearnerFigures();
    private final PeerSender sender;
    private final ReadIndexSyncs syncs;
    private final LearnerTraffic learnerTraffic;

    private long nextTick;
    private Role role = Role.LOOKING;
    private long lookingSince;
    private LongConsumer electionTime = millis -> { };
    /** null without reconfigEnabled: the membership of the files, for good */
    private final ActiveConfiguration configuration;
    private boolean serving;
    /** outputs are being carried out: a call back in from an upcall leaves its own to that loop */
    private boolean performing;

    /**
     * The shell over given parts.
     *
     * @param appliedZxid the state the host recovered (its newest snapshot's zxid): committed; the log after it waits,
     *                    learned by the host, for the core to commit or truncate it
     * @param clock       milliseconds, for the ticks
     */
    public ZabQuorum(QuorumHost host, ZabConfig zabConfig, ReplicaLog replicaLog, EpochStore epochs,
                     PeerNetwork network, ZabCodec codec, LongSupplier clock, long tickMillis, long appliedZxid) {
        this(host, zabConfig, replicaLog, epochs, network, codec, clock, tickMillis, appliedZxid, null);
    }

    /** As above; with {@code configuration} (reconfigEnabled) the membership may change at run time. */
    ZabQuorum(QuorumHost host, ZabConfig zabConfig, ReplicaLog replicaLog, EpochStore epochs, PeerNetwork network,
              ZabCodec codec, LongSupplier clock, long tickMillis, long appliedZxid,
              ActiveConfiguration configuration) {
        this.host = host;
        this.configuration = configuration;
        this.network = network;
        this.clock = clock;
        this.tickMillis = tickMillis;
        long logged = Math.max(appliedZxid, replicaLog.lastZxid());
        this.logProgress = new LogProgress(replicaLog, epochs, host, appliedZxid);
        long indexing = System.nanoTime();
        // reads the whole log once, for its epochs (and with reconfiguration the configurations it commits)
        this.node = new ZabNode(zabConfig, logProgress.storage(), appliedZxid,
                configuration == null ? null : configuration.reconfiguration());
        this.sender = new PeerSender(node.myId(), codec, network, learnerFigures);
        this.syncs = new ReadIndexSyncs(node, host, sender);
        this.learnerTraffic = new LearnerTraffic(this, node, host, network, sender, learnerFigures, syncs);
        if (configuration != null) {
            configuration.attach(network);
            if (node.membership().version() != configuration.current().version()) {
                configuration.activate(node.membership()); // the log committed a later one than the files hold
            }
        }
        long indexed = System.nanoTime();
        this.nextTick = clock.getAsLong() + tickMillis;
        this.lookingSince = clock.getAsLong();
        log.info("Server {} starts looking for a leader among {} (observers {}); its log ends at 0x{}, its history "
                        + "was indexed in {} ms", zabConfig.myId(), zabConfig.voters(), zabConfig.observers(),
                Long.toHexString(logged), (indexed - indexing) / 1_000_000);
    }

    /**
     * The shell of a real server: the Chronicle log in {@code txnLog}, the epochs in dataDir, the Reactor Netty peer
     * transport on the quorum port, the system clock.
     */
    public static ZabQuorum open(QuorumHost host, ServerConfig config, TxnLog txnLog, long appliedZxid,
                                 Runnable wake) {
        return ZabQuorumFactory.open(host, config, txnLog, appliedZxid, wake);
    }

    /** A few hundred milliseconds, as ZooKeeper's first election timeout, in core ticks. */
    static int electionTimeoutTicks(long tickMillis) {
        return (int) Math.max(2, 200 / tickMillis);
    }

    @Override
    public void propose(LogEntry entry) {
        node.propose(entry);
        perform();
    }

    @Override
    public ServerLines configuration() {
        return configuration == null ? null : configuration.current();
    }

    @Override
    public boolean reconfigEnabled() {
        return configuration != null;
    }

    @Override
    public boolean reconfigInFlight() {
        return node.reconfigInFlight();
    }

    @Override
    public boolean isQuorumSynced(ServerLines next) {
        return node.isQuorumSynced(ActiveConfiguration.membership(next));
    }

    @Override
    public long committedZxid() {
        return logProgress.committed();
    }

    @Override
    public boolean hasRoom() {
        return logProgress.hasRoom() && node.outstanding() + node.pendingReadIndexes()
                < MAX_OUTSTANDING - OUTSTANDING_HEADROOM;
    }

    @Override
    public int poll() {
        int work = 0;
        long durable = logProgress.newlyDurable();
        if (durable >= 0) {
            node.persisted(durable);
            work++;
        }
        PeerEvent event;
        while (work < MAX_EVENTS_PER_POLL && (event = network.poll()) != null) {
            handle(event);
            work++;
        }
        long now = clock.getAsLong();
        if (now >= nextTick) {
            nextTick = now + tickMillis;
            node.tick();
            learnerTraffic.sendTouches();
        }
        perform();
        return work;
    }

    @Override
    public boolean idle() {
        return !network.hasEvents() && logProgress.durableReported();
    }

    @Override
    public long nanosToNextTimer() {
        return Math.max(0, nextTick - clock.getAsLong()) * 1_000_000L;
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

    @Override
    public boolean leads() {
        return role == Role.LEADING;
    }

    @Override
    public boolean serving() {
        return serving;
    }

    @Override
    public Throwable logFailure() {
        return logProgress.failure();
    }

    @Override
    public MemberState memberState() {
        String phase = role == Role.LOOKING ? "ELECTION" : serving ? "BROADCAST" : "SYNCHRONIZATION";
        return new MemberState(role == Role.LOOKING ? -1 : node.leaderId(), phase);
    }

    /**
     * The mntr lines about the ensemble, with ZooKeeper's names: every member's quorum_size (its voting members), and
     * the leader's about its learners.
     */
    @Override
    public Map<String, Object> figures() {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("zk_quorum_size", node.membership().voters().size());
        if (role != Role.LEADING) {
            return figures;
        }
        int[] counts = node.learnerCounts();
        figures.put("zk_learners", counts[0]);
        figures.put("zk_synced_followers", counts[1]);
        figures.put("zk_synced_non_voting_followers", 0);
        figures.put("zk_synced_observers", counts[2]);
        return figures;
    }

    long myId() {
        return node.myId();
    }

    @Override
    public List<ObserverStatus> observers() {
        return learnerFigures.statuses(node.syncedObservers(), network);
    }

    @Override
    public void resetObserverStats() {
        learnerFigures.reset();
    }

    @Override
    public long transferLeadership(long target) {
        if (!leads() || (!serving && !node.handingOver())) {
            throw new IllegalStateException("this server is " + mode() + ", not a serving leader");
        }
        long chosen = node.transferLeadership(target);
        perform();
        return chosen;
    }

    @Override
    public void requestLeadership() {
        if (role != Role.FOLLOWING || !serving) {
            throw new IllegalStateException("this server is " + mode() + ", not a serving follower");
        }
        learnerTraffic.requestLeadership();
    }

    // --- learner traffic the core does not interpret ---

    @Override
    public void forward(byte[] request) {
        learnerTraffic.forward(request);
    }

    /**
     * A sync is linearizable: on the leader it is answered once a quorum confirmed this server still leads, with the
     * commit point it had when the sync arrived (a read index); a learner asks the leader for one.
     */
    @Override
    public void sync() {
        if (leads()) {
            syncs.confirmLocal();
        } else {
            syncs.askLeader();
        }
    }

    @Override
    public void touched(long sessionId) {
        learnerTraffic.touched(sessionId);
    }

    private void handle(PeerEvent event) {
        long peer = event.peer();
        if (event instanceof PeerEvent.Connected) {
            links.put(peer, event.link());
            learnerFigures.connected(peer, System.currentTimeMillis());
            node.connected(peer);
        } else if (event instanceof PeerEvent.Disconnected) {
            if (links.remove(peer, event.link())) {
                learnerFigures.disconnected(peer);
                snapshots.peerGone(peer);
                node.disconnected(peer);
            }
        } else if (event instanceof PeerEvent.Received received) {
            if (log.isTraceEnabled()) {
                log.trace("{} <- {}: {}", myId(), peer, received.message());
            }
            if (!Long.valueOf(event.link()).equals(links.get(peer))) {
                return; // a late message of a link that was replaced
            }
            learnerFigures.received(peer);
            if (received.message() instanceof ZabMessage.App app) {
                learnerTraffic.received(peer, app);
            } else {
                node.receive(peer, (ZabMessage) received.message());
            }
        }
    }

    /** The transfer was abandoned: this server leads on, and handles what its learners sent meanwhile. */
    private void handoverAbandoned(ZabOutput.HandoverAbandoned abandoned) {
        log.warn("Server {} leads on: the leadership transfer to {} was abandoned ({})", myId(), abandoned.target(),
                abandoned.why());
        if (!node.isEstablished()) {
            // the same input ended the term too (the quorum was lost with the target): the RoleChange drained with
            // this output drops what was held, and the learners pass it on again once a leader serves
            return;
        }
        host.leading(node.epoch(), node.lastZxid());
        serving = true;
        host.serving();
        learnerTraffic.releaseHeld();
    }

    /**
     * Carries out what the core asked for, in its order. An upcall may call back in (taking a snapshot applies
     * commits, which may release a client's write that waited behind them, which is proposed): the outputs of such a
     * call are carried out after those drained before it, by the outer call, never in between them.
     */
    private void perform() {
        if (performing) {
            return;
        }
        performing = true;
        try {
            List<ZabOutput> outputs;
            while (!(outputs = node.drain().outputs()).isEmpty()) {
                perform(outputs);
            }
        } finally {
            performing = false;
        }
    }

    private void perform(List<ZabOutput> outputs) {
        for (ZabOutput output : outputs) {
            if (output instanceof ZabOutput.Send send) {
                sender.send(send.to(), send.message());
            } else if (output instanceof ZabOutput.Persist persist) {
                logProgress.append(persist.entry());
            } else if (output instanceof ZabOutput.Truncate truncate) {
                logProgress.truncateAfter(truncate.afterZxid());
            } else if (output instanceof ZabOutput.PersistEpochs e) {
                logProgress.writeEpochs(e.acceptedEpoch(), e.currentEpoch());
            } else if (output instanceof ZabOutput.Commit commit) {
                logProgress.commit(commit.zxid());
            } else if (output instanceof ZabOutput.TakeSnapshot take) {
                QuorumHost.SnapshotImage image = host.takeSnapshot();
                snapshots.taken(take.peer(), image);
                node.snapshotTaken(take.peer(), image.zxid(), image.size());
            } else if (output instanceof ZabOutput.SendSnapshotChunk chunk) {
                byte[] bytes = snapshots.chunk(chunk.peer(), chunk.zxid(), chunk.offset(), chunk.length());
                if (bytes != null) {
                    sender.send(chunk.peer(), new ZabMessage.SnapChunk(bytes));
                }
            } else if (output instanceof ZabOutput.ReceiveSnapshot receive) {
                snapshots.receive(host.receiveSnapshot(receive.zxid(), receive.size()));
            } else if (output instanceof ZabOutput.SnapshotChunk chunk) {
                snapshots.received(chunk.data());
            } else if (output instanceof ZabOutput.InstallSnapshot install) {
                logProgress.snapshotInstalled(install.zxid(), snapshots::install);
            } else if (output instanceof ZabOutput.ReadIndex confirmed) {
                syncs.confirmed(confirmed);
            } else if (output instanceof ZabOutput.ReadIndexFailed failed) {
                syncs.failed(failed);
            } else if (output instanceof ZabOutput.HandingOver handing) {
                log.info("Server {} hands leadership over to {}: no new proposal until then", myId(),
                        handing.target());
                serving = false;
                host.handingOver();
            } else if (output instanceof ZabOutput.HandoverAbandoned abandoned) {
                handoverAbandoned(abandoned);
            } else if (output instanceof ZabOutput.ActivateMembership activate) {
                ServerLines lines = configuration.activate(activate.membership());
                log.info("Server {} activates configuration 0x{}: {}", myId(), Long.toHexString(lines.version()),
                        lines.configText().replace('\n', ' '));
                host.configurationActivated(lines);
            } else if (output instanceof ZabOutput.RoleChange change) {
                roleChanged(change);
            } else if (output instanceof ZabOutput.Serving) {
                if (role == Role.LEADING) {
                    host.leading(node.epoch(), node.lastZxid());
                }
                serving = true;
                log.info("Server {} serves clients as {} in epoch {}", myId(), mode(), node.epoch());
                host.serving();
                learnerTraffic.releaseHeld();
            }
        }
    }

    /** Hears how long each election took, in ms, from looking to a leader (ZooKeeper's election_time). */
    public void onElectionTime(LongConsumer listener) {
        electionTime = listener;
    }

    private void roleChanged(ZabOutput.RoleChange change) {
        Role previous = role;
        role = change.role();
        long now = clock.getAsLong();
        if (role == Role.LOOKING && previous != Role.LOOKING) {
            lookingSince = now;
        } else if (previous == Role.LOOKING && role != Role.LOOKING) {
            electionTime.accept(now - lookingSince);
        }
        serving = false;
        learnerTraffic.clear();
        syncs.clear();
        snapshots.close();
        log.info("Server {}: {} -> {} (epoch {}, leader {}): {}", myId(), previous, role, change.epoch(),
                change.leaderId(), node.lastChange());
        host.roleChanged(mode());
    }

    @Override
    public void close() {
        snapshots.close();
        network.close();
        logProgress.close();
    }
}
