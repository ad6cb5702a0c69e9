package io.corral.server.zab;

import io.corral.log.LogEntry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An ensemble for unit tests: messages delivered in send order, one at a time, until none is left; every append is
 * durable at once. No randomness, no faults: the simulation does those.
 */
final class LocalEnsemble {

    record InFlight(long from, long to, ZabMessage message) {
    }

    /** every message sent, in order (a test clears it to watch one exchange) */
    final List<InFlight> sent = new ArrayList<>();
    /** per node, its PersistEpochs outputs as {accepted, current}, in order */
    final Map<Long, List<List<Long>>> epochWrites = new LinkedHashMap<>();

    final Map<Long, ZabNode> nodes = new LinkedHashMap<>();
    final Map<Long, SimStorage> storages = new LinkedHashMap<>();
    private final Map<Long, InMemorySnapshots> snapshots = new LinkedHashMap<>();
    final Map<Long, List<LogEntry>> applied = new LinkedHashMap<>();
    /** per node, its ReadIndex and ReadIndexFailed outputs, in order */
    final Map<Long, List<ZabOutput>> readAnswers = new LinkedHashMap<>();
    private final ArrayDeque<InFlight> network = new ArrayDeque<>();
    /** a link whose message matches this waits from that message on (see {@link #holdFrom}) */
    private Predicate<InFlight> holdFrom = m -> false;
    /** links held, as {from, to}, and their messages in order */
    private final Set<List<Long>> heldLinks = new HashSet<>();
    private final List<InFlight> held = new ArrayList<>();
    private final Set<Long> voters;
    private final Set<Long> observers;
    /** null: static membership; otherwise reconfig txns are recognised with it */
    private final MembershipDecoder decoder;
    /** per node, the configuration it persisted last (ActivateMembership), which a restart begins from */
    final Map<Long, Membership> persistedMembership = new LinkedHashMap<>();
    /** per node, for each ActivateMembership in order: whether its history held the configuration's txn then */
    final Map<Long, List<Boolean>> activationsWithTxn = new LinkedHashMap<>();
    /** per node, the static configuration it was started with: {voters, observers} */
    private final Map<Long, List<Set<Long>>> staticConfigs = new LinkedHashMap<>();

    LocalEnsemble(Set<Long> voters, Set<Long> observers, Map<Long, SimStorage> initial) {
        this(voters, observers, initial, null);
    }

    /** with a decoder, every member's membership is dynamic ({@code reconfigEnabled=true}) */
    LocalEnsemble(Set<Long> voters, Set<Long> observers, Map<Long, SimStorage> initial, MembershipDecoder decoder) {
        this.voters = voters;
        this.observers = observers;
        this.decoder = decoder;
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
        start(id, voters, observers, storage);
    }

    private void start(long id, Set<Long> staticVoters, Set<Long> staticObservers, SimStorage storage) {
        staticConfigs.put(id, List.of(staticVoters, staticObservers));
        ZabConfig config = ZabConfig.of(id, staticVoters, staticObservers, id);
        Reconfiguration reconfiguration = decoder == null ? null : new Reconfiguration(
                persistedMembership.getOrDefault(id, Membership.of(config)), decoder);
        nodes.put(id, new ZabNode(config, storage, storage.snapshotZxid(), reconfiguration));
    }

    /**
     * Starts server {@code id} with a static configuration of its own (a new server: the current members and itself)
     * and an empty disk, and connects it to every running server.
     */
    void addServer(long id, Set<Long> staticVoters, Set<Long> staticObservers) {
        SimStorage storage = new SimStorage();
        storages.put(id, storage);
        applied.put(id, new ArrayList<>());
        readAnswers.put(id, new ArrayList<>());
        start(id, staticVoters, staticObservers, storage);
        connect(id);
    }

    /** servers {@code ids} stop together (their volatile state is lost); every connection to them drops */
    void crash(long... ids) {
        for (long id : ids) {
            nodes.remove(id);
            storages.get(id).crash();
            network.removeIf(m -> m.to() == id || m.from() == id);
            held.removeIf(m -> m.to() == id || m.from() == id);
        }
        for (long id : ids) {
            for (ZabNode other : nodes.values()) {
                other.disconnected(id);
            }
        }
        settle();
    }

    /** restarts a crashed server from its disk and its persisted configuration, with its static one */
    void restart(long id) {
        SimStorage storage = storages.get(id);
        applied.put(id, new ArrayList<>(storage.snapshot()));
        List<Set<Long>> config = staticConfigs.get(id);
        start(id, config.get(0), config.get(1), storage);
        connect(id);
    }

    private void connect(long id) {
        for (long other : nodes.keySet()) {
            if (other != id) {
                nodes.get(other).connected(id);
                nodes.get(id).connected(other);
            }
        }
        settle();
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
            for (Map.Entry<Long, ZabNode> e : new ArrayList<>(nodes.entrySet())) {
                progress |= perform(e.getKey(), e.getValue());
            }
            InFlight m = network.poll();
            if (m != null && (heldLinks.contains(List.of(m.from(), m.to())) || holdFrom.test(m))) {
                heldLinks.add(List.of(m.from(), m.to()));
                held.add(m);
                progress = true;
            } else if (m != null) {
                ZabNode to = nodes.get(m.to());
                if (to != null) {
                    to.receive(m.from(), m.message());
                }
                progress = true;
            }
        }
    }

    /**
     * From the first message matching {@code first} on, its link's messages wait (a slow link: the order of each
     * link's messages is kept) until {@link #release()}.
     */
    void holdFrom(Predicate<InFlight> first) {
        holdFrom = first;
    }

    /** the held messages go on their way, in order, and the ensemble settles */
    void release() {
        holdFrom = m -> false;
        heldLinks.clear();
        network.addAll(held);
        held.clear();
        settle();
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
                sent.add(new InFlight(id, s.to(), s.message()));
            } else if (o instanceof ZabOutput.Persist p) {
                storage.append(p.entry());
                node.persisted(storage.flush());
            } else if (o instanceof ZabOutput.Truncate t) {
                storage.truncate(t.afterZxid());
            } else if (o instanceof ZabOutput.PersistEpochs pe) {
                storage.persistEpochs(pe.acceptedEpoch(), pe.currentEpoch());
                epochWrites.computeIfAbsent(id, k -> new ArrayList<>()).add(List.of(pe.acceptedEpoch(),
                        pe.currentEpoch()));
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
            } else if (o instanceof ZabOutput.ActivateMembership am) {
                persistedMembership.put(id, am.membership());
                activationsWithTxn.computeIfAbsent(id, k -> new ArrayList<>())
                        .add(storage.lastZxid() >= am.membership().version());
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

    /** proposes {@code entry} (built for the leader's next zxid) at the established leader, and settles */
    LogEntry proposeAtLeader(java.util.function.LongFunction<LogEntry> entry) {
        ZabNode leader = leader();
        LogEntry e = entry.apply(leader.nextZxid());
        leader.propose(e);
        settle();
        return e;
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
