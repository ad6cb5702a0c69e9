package io.corral.server.zab;

import io.corral.log.LogEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Drives one {@link ZabNode} by hand in unit tests: feeds it inputs and keeps every output it produced. */
final class NodeDriver {

    final SimStorage storage;
    final ZabNode node;
    final List<ZabOutput> outputs = new ArrayList<>();

    NodeDriver(long myId, Set<Long> voters, Set<Long> observers, SimStorage storage) {
        this.storage = storage;
        this.node = new ZabNode(ZabConfig.of(myId, voters, observers, 42), storage, storage.snapshotZxid());
        collect();
    }

    static LogEntry entry(long epoch, long counter) {
        return new LogEntry(Zxid.make(epoch, counter), 1, (int) counter, 0, 1, new byte[] {(byte) counter});
    }

    /** a storage whose durable log holds these entries */
    static SimStorage storageWith(long acceptedEpoch, long currentEpoch, LogEntry... entries) {
        SimStorage s = new SimStorage();
        for (LogEntry e : entries) {
            s.append(e);
        }
        if (entries.length > 0) {
            s.flush();
        }
        s.persistEpochs(acceptedEpoch, currentEpoch);
        return s;
    }

    /** drains the node, keeping the outputs; returns those of this drain */
    List<ZabOutput> collect() {
        List<ZabOutput> fresh = node.drain().outputs();
        outputs.addAll(fresh);
        return fresh;
    }

    List<ZabOutput> receive(long from, ZabMessage m) {
        node.receive(from, m);
        return collect();
    }

    List<ZabOutput> connect(long... peers) {
        for (long p : peers) {
            node.connected(p);
        }
        return collect();
    }

    List<ZabOutput> tick() {
        node.tick();
        return collect();
    }

    List<ZabOutput> persisted(long zxid) {
        node.persisted(zxid);
        return collect();
    }

    /** the messages sent to {@code peer} among {@code outs} */
    static List<ZabMessage> sentTo(List<ZabOutput> outs, long peer) {
        List<ZabMessage> result = new ArrayList<>();
        for (ZabOutput o : outs) {
            if (o instanceof ZabOutput.Send s && s.to() == peer) {
                result.add(s.message());
            }
        }
        return result;
    }

    static <T extends ZabOutput> List<T> ofType(List<ZabOutput> outs, Class<T> type) {
        List<T> result = new ArrayList<>();
        for (ZabOutput o : outs) {
            if (type.isInstance(o)) {
                result.add(type.cast(o));
            }
        }
        return result;
    }

    /**
     * Makes this node (a voter with an empty view of the others) the leader: every other voter votes for it in its
     * first round.
     */
    void elect(Set<Long> voters) {
        long me = node.myId();
        for (long v : voters) {
            if (v != me) {
                node.connected(v);
            }
        }
        for (long v : voters) {
            if (v != me) {
                node.receive(v, new ZabMessage.Vote(1, me, node.lastZxid(), node.epoch(), Role.LOOKING));
            }
        }
        node.tick(); // the finalize wait, if not every voter spoke
        collect();
        if (node.role() != Role.LEADING) {
            throw new AssertionError("not elected: " + node);
        }
    }

    /**
     * Elects this node (see {@link #elect}) and synchronises the given learners over empty logs (observers send
     * OBSERVERINFO); returns the epoch.
     */
    long establish(Set<Long> voters, Set<Long> observers, long... learners) {
        elect(voters);
        for (long o : observers) {
            connect(o);
        }
        for (long l : learners) {
            if (observers.contains(l)) {
                receive(l, new ZabMessage.ObserverInfo(l, 0, 0));
            } else {
                receive(l, new ZabMessage.FollowerInfo(l, 0, 0));
            }
        }
        long epoch = node.acceptedEpoch();
        for (long l : learners) {
            receive(l, new ZabMessage.AckEpoch(epoch, 0, 0, 0, new long[0]));
        }
        for (long l : learners) {
            receive(l, new ZabMessage.AckNewLeader(epoch, 0));
        }
        return epoch;
    }
}
