package io.corral.server.sequencer;

import io.corral.protocol.Id;
import io.corral.protocol.OpCode;
import io.corral.protocol.Perms;
import io.corral.server.auth.AccessControl;
import io.corral.server.config.ServerConfig;
import io.corral.server.ops.ConnectionStats;
import io.corral.server.ops.ServerStats;
import io.corral.server.ops.ServerView;
import io.corral.server.session.Session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The sequencer as the operators' side sees it: read-only figures, taken on the sequencer thread. */
final class SequencerView implements ServerView {
    private final Sequencer sequencer;

    SequencerView(Sequencer sequencer) {
        this.sequencer = sequencer;
    }

    @Override
    public ServerConfig config() {
        return sequencer.config();
    }

    @Override
    public String membership() {
        io.corral.server.quorum.Quorum quorum = sequencer.quorum();
        io.corral.server.config.ServerLines lines = quorum == null ? null : quorum.configuration();
        return lines != null ? lines.configText() : ServerView.super.membership();
    }

    @Override
    public String mode() {
        return sequencer.quorum().mode();
    }

    @Override
    public boolean serving() {
        return sequencer.serving();
    }

    @Override
    public ServerStats stats() {
        return sequencer.stats;
    }

    @Override
    public long lastZxid() {
        return sequencer.tree.lastAppliedZxid();
    }

    /** ZooKeeper's count: its node table holds the root twice (under "" and "/"), and dashboards expect that. */
    @Override
    public int nodeCount() {
        return sequencer.tree.nodeCount() + 1;
    }

    @Override
    public java.util.List<io.corral.server.tree.DigestLog.Entry> digests() {
        return sequencer.tree.digestLog();
    }

    @Override
    public int ephemeralCount() {
        return sequencer.tree.ephemeralCount();
    }

    @Override
    public long approximateDataSize() {
        return sequencer.tree.approximateDataSize();
    }

    @Override
    public int sessionCount() {
        return sequencer.sessions.size();
    }

    @Override
    public long outstanding() {
        return sequencer.outstanding();
    }

    @Override
    public List<ConnectionStats> connections() {
        List<ConnectionStats> result = new ArrayList<>(sequencer.connections.size());
        for (Connection connection : sequencer.connections) {
            result.add(statsOf(connection));
        }
        return result;
    }

    ConnectionStats statsOf(Connection connection) {
        ConnectionState s = connection.state();
        Session session = sequencer.sessions.get(s.sessionId);
        boolean answered = s.latencyCount > 0;
        return new ConnectionStats(connection.remoteAddress(), s.waiting.size(), s.received, s.sent, s.sessionId,
                s.lastOp < -1000 ? "NA" : OpCode.name(s.lastOp), s.establishedAt,
                session == null ? -1 : session.timeout(), s.lastCxid, s.lastZxid, s.lastResponseTime, s.lastLatency,
                answered ? s.minLatency : 0, answered ? s.totalLatency / s.latencyCount : 0, s.maxLatency);
    }

    @Override
    public void resetConnectionStats() {
        for (Connection connection : sequencer.connections) {
            ConnectionState s = connection.state();
            s.received = 0;
            s.sent = 0;
            s.minLatency = Long.MAX_VALUE;
            s.maxLatency = 0;
            s.totalLatency = 0;
            s.latencyCount = 0;
            s.lastLatency = 0;
        }
    }

    @Override
    public long outboundBacklogBytes() {
        long backlog = 0;
        for (Connection connection : sequencer.connections) {
            backlog += connection.backlogBytes();
        }
        return backlog;
    }

    @Override
    public int watchCount() {
        return sequencer.watches.watchCount();
    }

    @Override
    public Map<Long, Set<String>> watchesBySession() {
        Map<Long, Set<String>> result = new LinkedHashMap<>();
        watchesByPath().forEach((path, sessions) -> sessions.forEach(
                session -> result.computeIfAbsent(session, id -> new java.util.TreeSet<>()).add(path)));
        return result;
    }

    @Override
    public Map<String, Set<Long>> watchesByPath() {
        Map<String, Set<Long>> result = new TreeMap<>();
        sequencer.watches.dataWatchersByPath().forEach((path, watchers) -> {
            Set<Long> sessions = new LinkedHashSet<>();
            watchers.forEach(connection -> sessions.add(connection.state().sessionId));
            result.put(path, sessions);
        });
        return result;
    }

    @Override
    public Map<Long, List<Long>> sessionExpiryBuckets() {
        return sequencer.sessions.expiryBuckets();
    }

    @Override
    public Map<Long, Set<String>> ephemeralsBySession() {
        return sequencer.tree.ephemeralsBySession();
    }

    @Override
    public Map<String, Object> quorumFigures() {
        return sequencer.quorum().figures();
    }

    @Override
    public io.corral.server.quorum.Quorum quorum() {
        return sequencer.quorum();
    }

    @Override
    public boolean mayAdminister(List<Id> ids) {
        return sequencer.acls().permits(sequencer.tree.get("/").acl(), Perms.ALL, ids);
    }

    @Override
    public java.nio.file.Path snapshotDirectory() {
        return sequencer.snapshotDirectory();
    }
}
