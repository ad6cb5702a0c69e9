package io.corral.server.quorum;

import io.corral.log.TxnLog;
import io.corral.server.config.DynamicConfigWriter;
import io.corral.server.config.EnsembleConfig;
import io.corral.server.config.ServerConfig;
import io.corral.server.peer.PeerTls;
import io.corral.server.peer.PeerTransport;
import io.corral.server.zab.ZabCodec;
import io.corral.server.zab.ZabConfig;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The shell of a real server, put together from its configuration: the core's settings from the ensemble's (its
 * limits in core ticks), the Chronicle log, the epochs in dataDir, the Reactor Netty peer transport on the quorum
 * port, the system clock.
 */
final class ZabQuorumFactory {
    /** A frame holds one message: a txn (at most about jute.maxbuffer) or a snapshot chunk. */
    private static final int MIN_PEER_FRAME = 16 << 20;

    private ZabQuorumFactory() {
    }

    static ZabQuorum open(QuorumHost host, ServerConfig config, TxnLog txnLog, long appliedZxid, Runnable wake) {
        EnsembleConfig ensemble = config.ensemble().orElseThrow();
        long logged = Math.max(appliedZxid, txnLog.lastZxid());
        long tickMillis = Math.max(10, config.tickTime() / ZabQuorum.TICKS_PER_TICKTIME);
        ZabConfig zabConfig = zabConfig(ensemble, tickMillis);
        ZabCodec codec = new ZabCodec(Math.max(MIN_PEER_FRAME, 2 * config.juteMaxBuffer() + ZabConfig.SNAP_CHUNK));
        PeerTransport transport = new PeerTransport(ensemble.myId(), ensemble.me().peerAddress(), peers(ensemble),
                codec.maxMessageSize(), frame -> codec.decode(frame.nioBuffer()), wake,
                PeerTls.start(config.quorumTls()), config.quorumSasl());
        ActiveConfiguration configuration = null;
        if (ensemble.reconfigEnabled()) {
            transport.acceptUnknownPeers();
            configuration = new ActiveConfiguration(ensemble.myId(), ensemble.serverLines(),
                    config.configFile() == null ? null : new DynamicConfigWriter(config.configFile(), ensemble.myId()));
        }
        return new ZabQuorum(host, zabConfig, new LogAppender(txnLog, logged, wake),
                new EpochFile(config.dataDir(), logged), transport, codec, System::currentTimeMillis, tickMillis,
                appliedZxid, configuration);
    }

    private static ZabConfig zabConfig(EnsembleConfig ensemble, long tickMillis) {
        Set<Long> voters = new TreeSet<>();
        Set<Long> observers = new TreeSet<>();
        for (EnsembleConfig.Member m : ensemble.members().values()) {
            (m.observer() ? observers : voters).add(m.id());
        }
        return new ZabConfig(ensemble.myId(), voters, observers,
                ensemble.initLimit() * ZabQuorum.TICKS_PER_TICKTIME,
                ensemble.syncLimit() * ZabQuorum.TICKS_PER_TICKTIME,
                ZabQuorum.electionTimeoutTicks(tickMillis), ensemble.myId() * 31 + System.nanoTime(),
                ensemble.learnerDiffLimit(), ZabQuorum.MAX_OUTSTANDING, ZabConfig.SYNC_WINDOW,
                ZabConfig.SYNC_WINDOW_BYTES, ZabConfig.SNAP_CHUNK);
    }

    /** The quorum addresses of the other members. */
    private static Map<Long, InetSocketAddress> peers(EnsembleConfig ensemble) {
        Map<Long, InetSocketAddress> peers = new HashMap<>();
        for (EnsembleConfig.Member m : ensemble.members().values()) {
            if (m.id() != ensemble.myId()) {
                peers.put(m.id(), m.peerAddress());
            }
        }
        return peers;
    }
}
