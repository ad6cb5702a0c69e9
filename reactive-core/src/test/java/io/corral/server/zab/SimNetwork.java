package io.corral.server.zab;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.corral.server.zab.Simulation.TICK;

/**
 * The network between the simulated servers, which behaves like TCP, as the core assumes: one connection per pair;
 * per connection, messages arrive in order after a random delay; messages on different connections overtake each
 * other. A reset loses whatever was in flight, and both ends see {@code disconnected}; a partition holds the
 * messages across it until the connection times out and resets, or the partition heals.
 */
final class SimNetwork {

    private final SimRun run;
    private final ZabCodec codec = new ZabCodec(64 << 20);
    /** a hash map: the order of its values, in which links reset, pump and redial, is part of a seed's events */
    private final Map<Long, Connection> connections = new HashMap<>();

    SimNetwork(SimRun run) {
        this.run = run;
    }

    /** one connection between every pair of the servers */
    void linkEveryPair(Collection<Long> ids) {
        for (long a : ids) {
            for (long b : ids) {
                if (a < b) {
                    connections.put(key(a, b), new Connection(a, b));
                }
            }
        }
    }

    private static long key(long a, long b) {
        return Math.min(a, b) * 1_000 + Math.max(a, b);
    }

    private Connection connection(long a, long b) {
        return connections.get(key(a, b));
    }

    /** the connections of {@code id}, in the order of the map */
    private List<Connection> connectionsOf(long id) {
        List<Connection> of = new ArrayList<>();
        for (Connection c : connections.values()) {
            if (c.a == id || c.b == id) {
                of.add(c);
            }
        }
        return of;
    }

    void connectAll() {
        for (Connection c : connections.values()) {
            c.connect();
        }
    }

    /** {@code m} from {@code from} to {@code to}, if their connection is up; lost otherwise */
    void send(long from, long to, ZabMessage m) {
        Connection c = connection(from, to);
        if (c.up) {
            c.channel(from).enqueue(codec.encode(m));
        }
    }

    void reset(long a, long b) {
        connection(a, b).reset();
    }

    /** a crash of {@code id}: its connections reset */
    void resetAll(long id) {
        for (Connection c : connectionsOf(id)) {
            c.reset();
        }
    }

    /** the peers {@code id} lost its connection to (which it learns when it resumes from a pause) */
    List<Long> peersDown(long id) {
        List<Long> down = new ArrayList<>();
        for (Connection c : connectionsOf(id)) {
            if (!c.up) {
                down.add(c.a == id ? c.b : c.a);
            }
        }
        return down;
    }

    /** {@code id} resumes from a pause: what waited for it goes, and connections that reset are dialled again */
    void resumed(long id) {
        for (Connection c : connectionsOf(id)) {
            if (c.up) {
                c.channel(c.a == id ? c.b : c.a).pump();
            } else if (run.faulty()) {
                c.scheduleReconnect();
            }
        }
    }

    /** {@code id} restarts and dials its peers */
    void redial(long id) {
        for (Connection c : connectionsOf(id)) {
            if (!c.up) {
                c.scheduleReconnect();
            }
        }
    }

    /** the faults stop: every connection down is dialled again */
    void redialAll() {
        for (Connection c : connections.values()) {
            if (!c.up) {
                c.scheduleReconnect();
            }
        }
    }

    /** blocks every connection between servers in different groups, and unblocks the others */
    void partition(Map<Long, Integer> groups) {
        for (Connection c : connections.values()) {
            c.setBlocked(!groups.get(c.a).equals(groups.get(c.b)));
        }
    }

    void unblockAll() {
        for (Connection c : connections.values()) {
            c.setBlocked(false);
        }
    }

    private final class Connection {
        final long a;
        final long b;
        boolean up;
        boolean blocked;
        int generation;
        final Channel ab;
        final Channel ba;

        Connection(long a, long b) {
            this.a = a;
            this.b = b;
            this.ab = new Channel(this, a, b);
            this.ba = new Channel(this, b, a);
        }

        Channel channel(long from) {
            return from == a ? ab : ba;
        }

        boolean canConnect() {
            return !blocked && run.servers.get(a).running() && run.servers.get(b).running();
        }

        void connect() {
            if (up || !canConnect()) {
                return;
            }
            up = true;
            generation++;
            run.log("connect " + a + "-" + b);
            SimServer sa = run.servers.get(a);
            SimServer sb = run.servers.get(b);
            sa.core.connected(b);
            sa.process();
            sb.core.connected(a);
            sb.process();
        }

        void scheduleReconnect() {
            run.schedule(1 + run.rnd.nextInt(3 * TICK), this::connect);
        }

        void reset() {
            if (!up) {
                return;
            }
            run.resets++;
            up = false;
            generation++;
            ab.clear();
            ba.clear();
            run.log("reset " + a + "-" + b);
            for (SimServer s : new SimServer[] {run.servers.get(a), run.servers.get(b)}) {
                if (s.running()) { // a paused server learns it when it resumes
                    s.core.disconnected(s.id == a ? b : a);
                    s.process();
                }
            }
            if (run.faulty()) {
                scheduleReconnect();
            }
        }

        void setBlocked(boolean blocked) {
            if (this.blocked == blocked) {
                return;
            }
            this.blocked = blocked;
            if (blocked) {
                // held messages until TCP gives up on the connection
                int gen = generation;
                run.schedule(2 * TICK + run.rnd.nextInt(8 * TICK), () -> {
                    if (this.blocked && generation == gen) {
                        reset();
                    }
                });
            } else if (up) {
                ab.pump();
                ba.pump();
            } else {
                scheduleReconnect();
            }
        }
    }

    /** one direction of a connection: FIFO, with a random delay per message */
    private final class Channel {
        final Connection connection;
        final long from;
        final long to;
        final ArrayDeque<long[]> due = new ArrayDeque<>();
        final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        long lastDue;
        boolean pumpScheduled;
        /** a message did not fit: nothing more goes out until the connection resets */
        boolean overflowed;

        Channel(Connection connection, long from, long to) {
            this.connection = connection;
            this.from = from;
            this.to = to;
        }

        void enqueue(byte[] message) {
            if (overflowed) {
                return; // lost with the connection, which resets at once
            }
            if (queue.size() >= run.params.linkCapacity()) {
                run.overflows++;
                overflowed = true;
                if (run.traced()) {
                    Map<String, Integer> kinds = new java.util.TreeMap<>();
                    for (byte[] q : queue) {
                        kinds.merge(codec.decode(q).getClass().getSimpleName(), 1, Integer::sum);
                    }
                    run.log(from + " -> " + to + " link full (" + kinds + "): reset");
                } else {
                    run.log(from + " -> " + to + " link full: reset");
                }
                int gen = connection.generation;
                run.schedule(0, () -> {
                    if (connection.generation == gen) {
                        connection.reset();
                        if (!run.faulty()) {
                            connection.scheduleReconnect(); // as the shell redials, faults or not
                        }
                    }
                });
                return;
            }
            long delay = run.rnd.nextInt(10) < 8 ? 1 + run.rnd.nextInt(4) : 5 + run.rnd.nextInt(20);
            lastDue = Math.max(lastDue, run.now() + delay);
            due.add(new long[] {lastDue});
            queue.add(message);
            pump();
        }

        void clear() {
            due.clear();
            queue.clear();
            overflowed = false;
        }

        void pump() {
            if (pumpScheduled || queue.isEmpty() || connection.blocked || !connection.up) {
                return;
            }
            pumpScheduled = true;
            int gen = connection.generation;
            run.schedule(Math.max(0, due.peek()[0] - run.now()), () -> {
                pumpScheduled = false;
                if (connection.generation != gen || !connection.up) {
                    pump(); // scheduled for an earlier connection: what the current one holds still goes
                    return;
                }
                if (connection.blocked) {
                    return;
                }
                if (run.servers.get(to).paused || run.servers.get(to).inEpochWrite) {
                    return; // resume pumps it again
                }
                due.poll();
                byte[] m = queue.poll();
                SimServer target = run.servers.get(to);
                if (run.traced()) {
                    run.log(from + " => " + to + " " + codec.decode(m));
                }
                target.receive(from, codec.decode(m));
                pump();
            });
        }
    }
}
