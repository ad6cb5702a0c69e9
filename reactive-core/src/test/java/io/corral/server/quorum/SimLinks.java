package io.corral.server.quorum;

import io.corral.server.zab.ZabCodec;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The simulated connections between the servers of a {@link ShellSimulation}, one per pair as the real transport
 * keeps them (dialed by the server with the higher id, redialed after a delay while it is down). Each direction is a
 * FIFO with a random delay per message, a bandwidth (a time per message) and a capacity in messages: a send beyond
 * it drops the message, returns false and resets the connection at once, as the real peer link closes when its queue
 * is full. Faults: a reset (each end learns of it after its own delay; in-flight messages are lost), a partition
 * (messages are held until the connection times out and resets, or the partition heals; dials fail meanwhile), a
 * slow direction (its queue builds up), a crash (every connection of the server resets). Messages go through the
 * real {@link ZabCodec}: encoded by the shell, decoded here on delivery.
 */
final class SimLinks {

    /**
     * @param capacity       messages one direction of a connection holds (queued and in flight) at most
     * @param transmitMicros the time one message takes on the wire: a direction's bandwidth
     */
    record Params(int capacity, long transmitMicros) {
    }

    private final SimClock clock;
    private final SplittableRandom rnd;
    private final ZabCodec codec;
    private final Params params;
    private final Consumer<String> trace;
    private final Map<Long, SimNetwork> endpoints = new TreeMap<>();
    private final Map<Long, Conn> conns = new TreeMap<>();
    private long nextLink;

    /** every delivered message goes to the trace too */
    boolean traceMessages;
    int resets;
    int overflows;

    SimLinks(SimClock clock, SplittableRandom rnd, ZabCodec codec, Params params, Collection<Long> servers,
             Consumer<String> trace) {
        this.clock = clock;
        this.rnd = rnd;
        this.codec = codec;
        this.params = params;
        this.trace = trace;
        for (long a : servers) {
            for (long b : servers) {
                if (a < b) {
                    conns.put(key(a, b), new Conn(a, b));
                }
            }
        }
    }

    private static long key(long a, long b) {
        return Math.min(a, b) * 1_000_003L + Math.max(a, b);
    }

    private Conn conn(long a, long b) {
        return conns.get(key(a, b));
    }

    /** a server (re)starts: its transport begins dialing the peers below it */
    SimNetwork start(long id, Runnable wake) {
        SimNetwork endpoint = new SimNetwork(id, this, wake);
        endpoints.put(id, endpoint);
        for (Conn c : conns.values()) {
            if (c.b == id) {
                c.startDialing();
            }
        }
        return endpoint;
    }

    /** the server of {@code endpoint} is gone: every connection it had resets */
    void crash(SimNetwork endpoint) {
        if (endpoint.dead()) {
            return;
        }
        endpoint.kill();
        for (Conn c : conns.values()) {
            if (c.a == endpoint.id || c.b == endpoint.id) {
                c.reset(-1, "crash of " + endpoint.id);
            }
        }
    }

    /** resets the connection between two servers, if it is up; each end learns it after its own delay */
    void reset(long a, long b) {
        conn(a, b).reset(-1, "reset");
    }

    /** splits the servers: those in {@code side} can no longer reach the others (nor the others them) */
    void partition(Set<Long> side) {
        for (Conn c : conns.values()) {
            c.setBlocked(side.contains(c.a) != side.contains(c.b));
        }
    }

    void heal() {
        for (Conn c : conns.values()) {
            c.setBlocked(false);
        }
    }

    /** no more partitions, and every direction back to its normal pace */
    void healAll() {
        heal();
        for (Conn c : conns.values()) {
            c.ab.slowUntil = 0;
            c.ba.slowUntil = 0;
        }
    }

    /** the direction from {@code from} to {@code to} carries a message per {@code transmitMicros} for a while */
    void slow(long from, long to, long transmitMicros, long durationMicros) {
        Direction d = conn(from, to).direction(from);
        d.slowTransmit = transmitMicros;
        d.slowUntil = clock.now() + durationMicros;
    }

    // --- for the endpoints

    boolean send(SimNetwork from, long peer, long link, byte[] message) {
        Conn c = conn(from.id, peer);
        if (!c.up || c.link != link) {
            return true; // written into a socket that is dead already: lost, and this end learns it soon
        }
        Direction d = c.direction(from.id);
        if (d.queue.size() >= params.capacity()) {
            overflows++;
            c.reset(from.id, from.id + " -> " + peer + " full (" + d.queue.size() + " messages)");
            return false;
        }
        long transmit = clock.now() < d.slowUntil ? d.slowTransmit : params.transmitMicros();
        d.lastDue = Math.max(d.lastDue + transmit, clock.now() + latency());
        d.queue.add(new InFlight(d.lastDue, message));
        d.pump();
        return true;
    }

    void closeFrom(SimNetwork from, long peer, long link, String reason) {
        Conn c = conn(from.id, peer);
        if (c.up && c.link == link) {
            c.reset(from.id, from.id + " closes: " + reason);
        } else {
            from.lost(peer, link);
        }
    }

    /** mostly a fraction of a millisecond, sometimes a few */
    private long latency() {
        return rnd.nextInt(10) < 8 ? 50 + rnd.nextInt(450) : 1_000 + rnd.nextInt(4_000);
    }

    private SimNetwork live(long id) {
        SimNetwork e = endpoints.get(id);
        return e == null || e.dead() ? null : e;
    }

    private record InFlight(long due, byte[] bytes) {
    }

    private final class Conn {
        final long a;
        /** the dialer: the higher id */
        final long b;
        final Direction ab;
        final Direction ba;
        boolean up;
        long link;
        boolean blocked;
        boolean dialing;

        Conn(long a, long b) {
            this.a = a;
            this.b = b;
            this.ab = new Direction(this, a, b);
            this.ba = new Direction(this, b, a);
        }

        Direction direction(long from) {
            return from == a ? ab : ba;
        }

        void startDialing() {
            if (dialing || up) {
                return;
            }
            dialing = true;
            clock.schedule(5 * SimClock.MILLI + rnd.nextInt(45) * SimClock.MILLI, this::dial);
        }

        void dial() {
            dialing = false;
            SimNetwork dialer = live(b);
            if (up || dialer == null) {
                return;
            }
            SimNetwork acceptor = live(a);
            if (acceptor == null || blocked) {
                startDialing(); // refused or timed out: try again
                return;
            }
            up = true;
            link = ++nextLink;
            long id = link;
            ab.restart();
            ba.restart();
            long helloThere = latency();
            long helloBack = helloThere + latency();
            // the acceptor's messages reach the dialer after its hello, which the dialer attaches on
            ab.lastDue = clock.now() + helloBack;
            trace.accept("connect " + a + "-" + b + " link " + id);
            clock.schedule(helloThere, () -> attach(acceptor, b, id));
            clock.schedule(helloBack, () -> attach(dialer, a, id));
            if (blocked) {
                scheduleTimeout();
            }
        }

        private void attach(SimNetwork end, long peer, long id) {
            if (up && link == id && !end.dead()) {
                end.connected(peer, id);
            }
        }

        /** the connection is gone: in-flight messages are lost; {@code at} learns it at once, any other end later */
        void reset(long at, String why) {
            if (!up) {
                return;
            }
            up = false;
            resets++;
            long dead = link;
            ab.restart();
            ba.restart();
            trace.accept("reset " + a + "-" + b + " link " + dead + ": " + why);
            for (long end : new long[] {a, b}) {
                SimNetwork e = live(end);
                if (e == null) {
                    continue;
                }
                long peer = end == a ? b : a;
                if (end == at) {
                    e.lost(peer, dead);
                    if (end == b) {
                        startDialing();
                    }
                } else {
                    clock.schedule(rnd.nextInt(2_000), () -> {
                        e.lost(peer, dead);
                        if (end == b && !e.dead()) {
                            startDialing();
                        }
                    });
                }
            }
        }

        void setBlocked(boolean blocked) {
            if (this.blocked == blocked) {
                return;
            }
            this.blocked = blocked;
            if (blocked) {
                if (up) {
                    scheduleTimeout();
                }
            } else {
                ab.pump();
                ba.pump();
            }
        }

        /** held messages until TCP gives up on the connection: soon, or long after the protocol's own timeouts */
        private void scheduleTimeout() {
            long id = link;
            long after = rnd.nextBoolean() ? 20 + rnd.nextInt(80) : 100 + rnd.nextInt(2_000);
            clock.schedule(after * SimClock.MILLI, () -> {
                if (blocked && up && link == id) {
                    reset(-1, "timed out in a partition");
                }
            });
        }
    }

    /** one direction of a connection: FIFO, each message due after the one before it */
    private final class Direction {
        final Conn conn;
        final long from;
        final long to;
        final ArrayDeque<InFlight> queue = new ArrayDeque<>();
        long lastDue;
        long slowUntil;
        long slowTransmit;
        private boolean pumpScheduled;
        private int pumpToken;

        Direction(Conn conn, long from, long to) {
            this.conn = conn;
            this.from = from;
            this.to = to;
        }

        /** empty, for a new connection (what the old one carried is lost) */
        void restart() {
            queue.clear();
            lastDue = clock.now();
            pumpScheduled = false;
            pumpToken++;
        }

        void pump() {
            if (pumpScheduled || queue.isEmpty() || conn.blocked) {
                return;
            }
            pumpScheduled = true;
            int token = ++pumpToken;
            clock.schedule(queue.peekFirst().due() - clock.now(), () -> {
                if (token != pumpToken) {
                    return;
                }
                pumpScheduled = false;
                if (conn.blocked) {
                    return; // the heal pumps again
                }
                InFlight m = queue.pollFirst();
                SimNetwork receiver = live(to);
                if (receiver != null) {
                    Object message = codec.decode(m.bytes());
                    if (traceMessages) {
                        trace.accept(from + " => " + to + " " + message);
                    }
                    receiver.received(from, conn.link, message);
                }
                pump();
            });
        }
    }
}
