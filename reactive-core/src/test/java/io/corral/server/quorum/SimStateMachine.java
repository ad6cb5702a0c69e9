package io.corral.server.quorum;

import io.corral.log.LogEntry;
import io.corral.server.zab.Zxid;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A server's state machine in the simulation, the {@link QuorumHost} the real sequencer is, reduced to its ordering:
 * the state is the list of txns applied. As the sequencer, it holds learned entries until the quorum's
 * {@link Quorum#committedZxid()} covers them and then applies them in zxid order ({@link #commit()}, its commit
 * loop); drops the learned entries beyond a truncation; replaces everything by an installed snapshot (kept on its
 * disk, which survives crashes); numbers its own proposals from where {@link #leading} says the counter continues;
 * matches sync answers to the syncs asked, oldest first, forgetting them when the role changes. What it sees goes to
 * the simulation's {@link Checks}.
 */
final class SimStateMachine implements QuorumHost {

    /** What the simulation checks, and does for clients, as the state machine goes. */
    interface Checks {
        /** the server applied {@code entry} as its {@code index}-th txn (from 0) */
        void applied(long server, int index, LogEntry entry);

        /** a learner got an entry of the leader's history */
        void learned(long server, LogEntry entry);

        /** the server leads {@code epoch} and may propose */
        void leading(long server, long epoch);

        /** the server replaced its state by the leader's snapshot, which holds {@code entries} */
        void installed(long server, long zxid, List<LogEntry> entries);

        /** a sync asked when {@code known} was the highest commit anyone knew of is answered with {@code zxid} */
        void syncAnswered(long server, long zxid, long known);

        /** leader: a learner's client sent a write */
        void forwarded(SimStateMachine leader, long learner, byte[] request);

        /** a learner's history is cut after {@code zxid} (TRUNC) */
        void truncated(long server, long zxid);

        /** the server changed role */
        void roleChanged(long server, String mode);

        /** the server serves clients (again) */
        void serving(long server, String mode);

        /** the leader began a leadership transfer: it proposes nothing until it hands over or gives up */
        void handingOver(long server);

        /** the commit loop applied something: clients whose writes waited behind it may go on */
        void afterApplying(SimStateMachine server);
    }

    /** What survives a crash besides the log: the newest snapshot. */
    static final class Disk {
        List<LogEntry> snapshot = List.of();

        long snapshotZxid() {
            return snapshot.isEmpty() ? 0 : snapshot.get(snapshot.size() - 1).zxid();
        }
    }

    final long id;
    private final Checks checks;
    private final Disk disk;
    private Quorum quorum;
    private final List<LogEntry> applied;
    private final ArrayDeque<LogEntry> queued = new ArrayDeque<>();
    /** per sync asked and not answered yet, oldest first: the highest commit known when it was asked */
    private final ArrayDeque<Long> syncs = new ArrayDeque<>();
    private long epoch = -1;
    private long counter;
    private String mode = "looking";
    private boolean applying;
    /** the shell is taking a snapshot for a learner (and applies what is committed first) */
    private boolean snapshotting;


    /** a (re)started server: the state of its snapshot; {@link #recover} re-learns the log after it */
    SimStateMachine(long id, Disk disk, Checks checks) {
        this.id = id;
        this.disk = disk;
        this.checks = checks;
        this.applied = new ArrayList<>(disk.snapshot);
    }

    /** as the sequencer's recovery does before the quorum starts: the log after the snapshot waits for commits */
    void recover(ReplicaLog log) {
        try (var entries = log.readFrom(appliedZxid())) {
            while (entries.hasNext()) {
                learned(entries.next());
            }
        }
    }

    void attach(Quorum quorum) {
        this.quorum = quorum;
    }

    long appliedZxid() {
        return applied.isEmpty() ? 0 : applied.get(applied.size() - 1).zxid();
    }

    String mode() {
        return mode;
    }

    boolean snapshotting() {
        return snapshotting;
    }

    /** the commit loop: applies what the quorum has committed, in order; returns how many */
    int commit() {
        int n = 0;
        long committed = quorum.committedZxid();
        while (!queued.isEmpty() && queued.peekFirst().zxid() <= committed) {
            LogEntry e = queued.pollFirst();
            checks.applied(id, applied.size(), e);
            applied.add(e);
            n++;
        }
        if (n > 0 && !applying) {
            applying = true;
            try {
                checks.afterApplying(this);
            } finally {
                applying = false;
            }
        }
        return n;
    }

    /** a local snapshot of the applied state, durable at once: the log up to it may be purged */
    long takeLocalSnapshot() {
        disk.snapshot = List.copyOf(applied);
        return disk.snapshotZxid();
    }

    // --- clients

    /** leader: sequences a write, as the sequencer does (queued for commit first, then proposed) */
    LogEntry propose(long sessionId, int cxid, long time, byte[] body) {
        if (!quorum.leads() || !quorum.serving()) {
            throw new AssertionError("server " + id + " proposes as " + quorum.mode());
        }
        counter++;
        LogEntry e = new LogEntry(Zxid.make(epoch, counter), sessionId, cxid, time, 1, body);
        queued.addLast(e);
        quorum.propose(e);
        return e;
    }

    /** a client's sync, with the highest commit any server knew of when it was asked */
    void sync(long known) {
        syncs.addLast(known);
        quorum.sync();
    }

    int syncsPending() {
        return syncs.size();
    }

    // --- QuorumHost

    @Override
    public void learned(LogEntry entry) {
        long last = queued.isEmpty() ? appliedZxid() : queued.peekLast().zxid();
        if (entry.zxid() <= last) {
            return; // applied already, or this server's own proposal
        }
        checks.learned(id, entry);
        queued.addLast(entry);
    }

    @Override
    public void truncatedTo(long zxid) {
        if (appliedZxid() > zxid) {
            throw new AssertionError("server " + id + " told to truncate to " + Zxid.toString(zxid)
                    + " below its applied " + Zxid.toString(appliedZxid()));
        }
        checks.truncated(id, zxid);
        while (!queued.isEmpty() && queued.peekLast().zxid() > zxid) {
            queued.pollLast();
        }
    }

    @Override
    public SnapshotSink receiveSnapshot(long zxid, long size) {
        java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
        return new SnapshotSink() {
            @Override
            public void write(byte[] chunk) {
                received.writeBytes(chunk);
                if (received.size() > size) {
                    throw new AssertionError("server " + id + " got more than the " + size + " bytes announced");
                }
            }

            @Override
            public void install() {
                installSnapshot(zxid, received.toByteArray());
            }

            @Override
            public void close() {
                // nothing held outside the heap
            }
        };
    }

    private void installSnapshot(long zxid, byte[] state) {
        List<LogEntry> entries = decode(state);
        checks.installed(id, zxid, entries);
        queued.clear();
        applied.clear();
        applied.addAll(entries);
        disk.snapshot = List.copyOf(entries);
    }

    @Override
    public SnapshotImage takeSnapshot() {
        snapshotting = true;
        try {
            commit();
        } finally {
            snapshotting = false;
        }
        long zxid = appliedZxid();
        byte[] state = encode(applied);
        return new SnapshotImage() {
            @Override
            public long zxid() {
                return zxid;
            }

            @Override
            public long size() {
                return state.length;
            }

            @Override
            public byte[] read(long offset, int length) {
                return java.util.Arrays.copyOfRange(state, (int) offset, (int) offset + length);
            }

            @Override
            public void close() {
                // nothing held outside the heap
            }
        };
    }

    @Override
    public void roleChanged(String mode) {
        this.mode = mode;
        checks.roleChanged(id, mode);
        syncs.clear();
        epoch = -1;
    }

    @Override
    public void serving() {
        if (mode.equals("leader") && epoch < 0) {
            throw new AssertionError("server " + id + " serves as leader before it was told its epoch");
        }
        checks.serving(id, mode);
    }

    @Override
    public void handingOver() {
        checks.handingOver(id);
    }

    @Override
    public void leading(long epoch, long lastZxid) {
        checks.leading(id, epoch);
        this.epoch = epoch;
        this.counter = Zxid.epoch(lastZxid) == epoch ? Zxid.counter(lastZxid) : 0;
    }

    @Override
    public void forwardedByLearner(long learner, byte[] request) {
        checks.forwarded(this, learner, request);
    }

    @Override
    public void touchedByLearner(long[] sessionIds) {
        // sessions are not simulated
    }

    @Override
    public void syncAnswered(long zxid) {
        Long known = syncs.pollFirst();
        if (known != null) {
            checks.syncAnswered(id, zxid, known);
        }
    }

    // --- the state on the wire: every txn, field by field

    static byte[] encode(List<LogEntry> entries) {
        int size = 4;
        for (LogEntry e : entries) {
            size += 8 + 8 + 4 + 8 + 4 + 4 + e.body().length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(entries.size());
        for (LogEntry e : entries) {
            b.putLong(e.zxid()).putLong(e.sessionId()).putInt(e.cxid()).putLong(e.time()).putInt(e.type())
                    .putInt(e.body().length).put(e.body());
        }
        return b.array();
    }

    static List<LogEntry> decode(byte[] state) {
        ByteBuffer b = ByteBuffer.wrap(state);
        int n = b.getInt();
        List<LogEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long zxid = b.getLong();
            long session = b.getLong();
            int cxid = b.getInt();
            long time = b.getLong();
            int type = b.getInt();
            byte[] body = new byte[b.getInt()];
            b.get(body);
            entries.add(new LogEntry(zxid, session, cxid, time, type, body));
        }
        return entries;
    }
}
