package io.corral.server.quorum;

import io.corral.log.LogEntry;
import io.corral.protocol.OpCode;
import io.corral.server.config.ConfigException;
import io.corral.server.config.DynamicConfigWriter;
import io.corral.server.config.EnsembleConfig;
import io.corral.server.config.ServerLines;
import io.corral.server.peer.PeerNetwork;
import io.corral.server.txn.Txn;
import io.corral.server.txn.TxnCodec;
import io.corral.server.zab.Membership;
import io.corral.server.zab.MembershipDecoder;
import io.corral.server.zab.Reconfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shell's side of dynamic reconfiguration ({@code reconfigEnabled=true}): the server lines in force (the core
 * knows only ids), how a reconfig txn is recognised in the log (its header's type is reconfig and its body sets
 * {@code /zookeeper/config} to the new configuration's text, as ZooKeeper's SetDataTxn does), and what an activation
 * does here: the dynamic file written back, the peer links to added members opened and to removed ones closed.
 */
final class ActiveConfiguration implements MembershipDecoder {
    private static final Logger log = LoggerFactory.getLogger(ActiveConfiguration.class);
    static final String CONFIG_NODE = "/zookeeper/config";

    private final long myId;
    private final DynamicConfigWriter writer;
    private PeerNetwork network;
    private ServerLines current;
    /** the lines of reconfig txns seen in the log and not yet activated (or superseded), by version */
    private final TreeMap<Long, ServerLines> proposed = new TreeMap<>();

    /** {@code writer} null: nothing written back (no zoo.cfg, as in tests that build a config from keys) */
    ActiveConfiguration(long myId, ServerLines initial, DynamicConfigWriter writer) {
        this.myId = myId;
        this.current = initial;
        this.writer = writer;
    }

    void attach(PeerNetwork peers) {
        this.network = peers;
    }

    Reconfiguration reconfiguration() {
        return new Reconfiguration(membership(current), this);
    }

    ServerLines current() {
        return current;
    }

    static Membership membership(ServerLines lines) {
        return new Membership(lines.version(), lines.voters(), lines.observers());
    }

    /** The lines a reconfig entry proposes (version: the entry's zxid), or null for any other entry. */
    static ServerLines linesOf(LogEntry entry) {
        if (entry.type() != OpCode.RECONFIG) {
            return null;
        }
        if (!(TxnCodec.decode(entry.body()) instanceof Txn.SetData set) || !CONFIG_NODE.equals(set.path())) {
            return null; // a reconfig that failed: an error txn
        }
        try {
            return ServerLines.parse(new String(set.data(), StandardCharsets.UTF_8), entry.zxid());
        } catch (ConfigException e) {
            log.error("A reconfig txn at 0x{} holds no valid configuration: {}", Long.toHexString(entry.zxid()),
                    e.getMessage());
            return null;
        }
    }

    @Override
    public Membership decode(LogEntry entry) {
        ServerLines lines = linesOf(entry);
        if (lines == null) {
            return null;
        }
        proposed.put(lines.version(), lines);
        return membership(lines);
    }

    /**
     * The core activated {@code m}: the lines of its reconfig txn (or, for a configuration learned from a peer or
     * a snapshot without its txn, the lines known for its members) become current, are written back, and the peer
     * links follow. Returns the lines now in force.
     */
    ServerLines activate(Membership m) {
        ServerLines lines = proposed.get(m.version());
        proposed.headMap(m.version(), true).clear();
        if (lines == null) {
            lines = fromKnownLines(m);
        }
        current = lines;
        if (writer != null) {
            try {
                log.info("Server {} writes configuration 0x{} back to {}", myId, Long.toHexString(lines.version()),
                        writer.write(lines));
            } catch (UncheckedIOException e) {
                log.error("Server {} could not write its configuration back; a restart starts from the old one",
                        myId, e);
            }
        }
        if (network != null) {
            Map<Long, InetSocketAddress> peers = new HashMap<>();
            lines.members().values().forEach(member -> peers.put(member.id(), member.peerAddress()));
            peers.remove(myId);
            network.updatePeers(peers);
        }
        return lines;
    }

    private ServerLines fromKnownLines(Membership m) {
        Map<Long, EnsembleConfig.Member> known = new HashMap<>(current.members());
        proposed.values().forEach(l -> known.putAll(l.members()));
        TreeMap<Long, EnsembleConfig.Member> members = new TreeMap<>();
        for (long id : m.voters()) {
            member(known, id, false, members);
        }
        for (long id : m.observers()) {
            member(known, id, true, members);
        }
        return new ServerLines(m.version(), members);
    }

    private void member(Map<Long, EnsembleConfig.Member> known, long id, boolean observer,
                        Map<Long, EnsembleConfig.Member> into) {
        EnsembleConfig.Member line = known.get(id);
        if (line == null) {
            log.warn("Server {} activates a configuration with server {}, whose address it does not know: no link to "
                    + "it until a configuration with its line", myId, id);
            return;
        }
        into.put(id, new EnsembleConfig.Member(id, line.peerAddress(), line.electionPort(), observer,
                line.clientAddress()));
    }
}
