package io.corral.server.sequencer;

import io.corral.protocol.ErrorCode;
import io.corral.protocol.ReconfigRequest;
import io.corral.server.config.ConfigException;
import io.corral.server.config.EnsembleConfig;
import io.corral.server.config.ServerLines;
import io.corral.server.quorum.Quorum;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The configuration a {@code reconfig} request asks for, checked as ZooKeeper 3.9.5's PrepRequestProcessor checks it
 * and in its order: RECONFIGDISABLED without {@code reconfigEnabled}, SESSIONEXPIRED for a closing session,
 * RECONFIGINPROGRESS while a reconfig is not known committed, BADVERSION when {@code curConfigId} (-1: any) is not
 * the configuration's version, BADARGUMENTS for malformed or conflicting server lines or too few voters,
 * NEWCONFIGNOQUORUM when the leader's synchronised followers are no quorum of the new voters. The caller checks the
 * WRITE permission on {@code /zookeeper/config} after these, as ZooKeeper does.
 */
final class ReconfigPlanner {
    private final Supplier<Quorum> quorum;
    private final boolean standaloneEnabled;

    /** {@code quorum}: the sequencer's, which exists once it started */
    ReconfigPlanner(Supplier<Quorum> quorum, boolean standaloneEnabled) {
        this.quorum = quorum;
        this.standaloneEnabled = standaloneEnabled;
    }

    /** A planner of a server without reconfiguration: every reconfig is RECONFIGDISABLED. */
    static ReconfigPlanner disabled() {
        return new ReconfigPlanner(() -> null, true);
    }

    /** The new configuration's text, as {@code /zookeeper/config} will hold it (its version is {@code zxid}). */
    byte[] plan(ReconfigRequest req, long zxid, boolean closing) throws KeeperError {
        Quorum q = quorum.get();
        if (q == null || !q.reconfigEnabled()) {
            throw new KeeperError(ErrorCode.RECONFIG_DISABLED);
        }
        if (closing) {
            throw new KeeperError(ErrorCode.SESSION_EXPIRED);
        }
        if (q.reconfigInFlight()) {
            throw new KeeperError(ErrorCode.RECONFIG_IN_PROGRESS);
        }
        ServerLines current = q.configuration();
        if (req.curConfigId() != -1 && req.curConfigId() != current.version()) {
            throw new KeeperError(ErrorCode.BAD_VERSION);
        }
        ServerLines next = req.newMembers() != null ? nonIncremental(req.newMembers(), zxid)
                : incremental(current, req.joiningServers(), req.leavingServers(), zxid);
        int voters = next.voters().size();
        if ((standaloneEnabled && voters < 2) || voters < 1) {
            throw new KeeperError(ErrorCode.BAD_ARGUMENTS);
        }
        if (!q.isQuorumSynced(next)) {
            throw new KeeperError(ErrorCode.NEW_CONFIG_NO_QUORUM);
        }
        return next.configText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** {@code newMembers}: the whole configuration, its lines separated by commas or newlines. */
    private static ServerLines nonIncremental(String newMembers, long zxid) throws KeeperError {
        try {
            return ServerLines.parse(newMembers.replace(',', '\n'), zxid);
        } catch (ConfigException e) {
            throw new KeeperError(ErrorCode.BAD_ARGUMENTS);
        }
    }

    /**
     * The current members, less the ids of {@code leaving}, plus (replacing any line of the same id) the
     * {@code server.N=spec} lines of {@code joining}, which must name a client port.
     */
    private static ServerLines incremental(ServerLines current, String joining, String leaving, long zxid)
            throws KeeperError {
        Map<Long, EnsembleConfig.Member> next = new TreeMap<>(current.members());
        try {
            for (String id : split(leaving)) {
                next.remove(Long.parseLong(id));
            }
            for (String joiner : split(joining)) {
                String[] parts = joiner.split("=");
                List<String> kept = new ArrayList<>();
                for (String part : parts) {
                    if (!part.trim().isEmpty()) {
                        kept.add(part.trim());
                    }
                }
                if (kept.size() != 2) {
                    throw new KeeperError(ErrorCode.BAD_ARGUMENTS);
                }
                long id = Long.parseLong(kept.get(0).substring(kept.get(0).lastIndexOf('.') + 1));
                EnsembleConfig.Member member = ServerLines.parse("server." + id + "=" + kept.get(1), zxid)
                        .members().get(id);
                if (member.clientAddress() == null) {
                    throw new KeeperError(ErrorCode.BAD_ARGUMENTS);
                }
                for (EnsembleConfig.Member other : next.values()) {
                    if (other.id() != id && sharesAnAddress(member, other)) {
                        throw new KeeperError(ErrorCode.BAD_ARGUMENTS);
                    }
                }
                next.put(id, member);
            }
        } catch (ConfigException e) {
            throw new KeeperError(ErrorCode.BAD_ARGUMENTS);
        } catch (NumberFormatException e) {
            // ZooKeeper does not catch it there: the request fails as a malformed one
            throw new KeeperError(ErrorCode.MARSHALLING_ERROR);
        }
        return new ServerLines(zxid, new TreeMap<>(next));
    }

    /** ZooKeeper's checkAddressDuplicate: no quorum or election address of one server is another's. */
    private static boolean sharesAnAddress(EnsembleConfig.Member a, EnsembleConfig.Member b) {
        List<InetSocketAddress> mine = List.of(a.peerAddress(),
                new InetSocketAddress(a.peerAddress().getAddress(), a.electionPort()));
        List<InetSocketAddress> theirs = List.of(b.peerAddress(),
                new InetSocketAddress(b.peerAddress().getAddress(), b.electionPort()));
        return mine.stream().anyMatch(theirs::contains);
    }

    /** ZooKeeper's StringUtils.split: comma-separated, trimmed, empty parts dropped; null is no part. */
    private static List<String> split(String value) {
        List<String> parts = new ArrayList<>();
        if (value == null) {
            return parts;
        }
        for (String part : value.split(",")) {
            if (!part.trim().isEmpty()) {
                parts.add(part.trim());
            }
        }
        return parts;
    }
}
