package io.corral.server.zab;

import io.corral.log.LogEntry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ensemble for unit tests: messages delivered in send order, one at a time, until none is left; every append is
 * durable at once. No randomness, no faults: the simulation does those.
 */
final class LocalEnsemble {

    private record InFlight(long from, long to, ZabMessage message) {
    }

    final Map<Long, ZabNode> nodes = new LinkedHashMap<>();
    final Map<Long, SimStorage> storages = new LinkedHashMap<>();
    private final Map<Long, InMemorySnapshots> snapshots = new LinkedHashMap<>();
    final Map<Long, List<LogEntry>> applied = new LinkedHashMap<>();
    /** per node, its ReadIndex and ReadIndexFailed outputs, in order */
    final Map<Long, List<ZabOutput>> readAnswers = new LinkedHashMap<>();
    private final ArrayDeque<InFlight> network = new ArrayDeque<>();
    private final Set<Long> voters;
    private final Set<Long> observers;

    LocalEnsemble(Set<Long> voters, Set<Long> observers, Map<Long, SimStorage> initial) {
        this.voters = voters;
        this.observers = observers;
        for (long id : voters) {
            add(id, initial.getOrDefault(id, new SimStorage()));
        }
        for (long id : observers) {
            add(id, initial.getOrDefault(id, new SimStorage()));
        }
    }

    private void add(long id, SimStorage storage) {
        storages.put(id, storage);
        applied.put(id, new ArrayList<>(storage.snapshot()));
        readAnswers.put(id, new ArrayList<>());
        nodes.put(id, new ZabNode(ZabConfig.of(id, voters, observers, id), storage, storage.snapshotZxid()));
    }

    ZabNode node(long id) {
        return nodes.get(id);
    }

    /** connects every pair and runs until the network is quiet */
    void connectAll() {
        for (long a : nodes.keySet()) {
            for (long b : nodes.keySet()) {
                if (a != b) {
                    nodes.get(a).connected(b);
                }
            }
        }
        settle();
    }

    /** ticks every node {@code n} times, settling after each */
    void tick(int n) {
        for (int i = 0; i < n; i++) {
            for (ZabNode node : nodes.values()) {
                node.tick();
            }
            settle();
        }
    }

    /** performs outputs and delivers messages until nothing is left to do */
    void settle() {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Map.Entry<Long, ZabNode> e : nodes.entrySet()) {
                progress |= perform(e.getKey(), e.getValue());
            }
            InFlight m = network.poll();
            if (m != null) {
                nodes.get(m.to()).receive(m.from(), m.message());
                progress = true;
            }
        }
    }

    private InMemorySnapshots snapshots(long id) {
        return snapshots.computeIfAbsent(id, i -> new InMemorySnapshots());
    }

    private boolean perform(long id, ZabNode node) {
        List<ZabOutput> outs = node.drain().outputs();
        SimStorage storage = storages.get(id);
        List<LogEntry> mine = applied.get(id);
        for (ZabOutput o : outs) {
            if (o instanceof ZabOutput.Send s) {
                network.add(new InFlight(id, s.to(), s.message()));
            } else if (o instanceof ZabOutput.Persist p) {
                storage.append(p.entry());
                node.persisted(storage.flush());
            } else if (o instanceof ZabOutput.Truncate t) {
                storage.truncate(t.afterZxid());
            } else if (o instanceof ZabOutput.PersistEpochs pe) {
                storage.persistEpochs(pe.acceptedEpoch(), pe.currentEpoch());
            } else if (o instanceof ZabOutput.Commit c) {
                long from = mine.isEmpty() ? 0 : mine.get(mine.size() - 1).zxid();
                var it = storage.readAfter(from);
                while (it.hasNext()) {
                    LogEntry e = it.next();
                    if (e.zxid() > c.zxid()) {
                        break;
                    }
                    mine.add(e);
                }
            } else if (o instanceof ZabOutput.TakeSnapshot ts) {
                long zxid = mine.isEmpty() ? 0 : mine.get(mine.size() - 1).zxid();
                byte[] state = Simulation.encodeState(mine);
                snapshots(id).taken(ts.peer(), zxid, state);
                node.snapshotTaken(ts.peer(), zxid, state.length);
            } else if (o instanceof ZabOutput.SendSnapshotChunk sc) {
                network.add(new InFlight(id, sc.peer(), snapshots(id).chunk(sc)));
            } else if (o instanceof ZabOutput.ReceiveSnapshot rs) {
                snapshots(id).receive(rs);
            } else if (o instanceof ZabOutput.SnapshotChunk ch) {
                snapshots(id).received(ch);
            } else if (o instanceof ZabOutput.InstallSnapshot is) {
                List<LogEntry> state = Simulation.decodeState(snapshots(id).install());
                storage.installSnapshot(is.zxid(), state);
                mine.clear();
                mine.addAll(state);
            } else if (o instanceof ZabOutput.ReadIndex || o instanceof ZabOutput.ReadIndexFailed) {
                readAnswers.get(id).add(o);
            }
        }
        return !outs.isEmpty();
    }

    /** the established leader, or null */
    ZabNode leader() {
        for (ZabNode n : nodes.values()) {
            if (n.isEstablished()) {
                return n;
            }
        }
        return null;
    }

    /** proposes {@code count} txns at the established leader */
    List<LogEntry> propose(int count) {
        ZabNode leader = leader();
        List<LogEntry> proposed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long zxid = leader.nextZxid();
            LogEntry e = new LogEntry(zxid, 7, i, 0, 1, new byte[] {(byte) i});
            leader.propose(e);
            proposed.add(e);
            settle();
        }
        return proposed;
    }
}
