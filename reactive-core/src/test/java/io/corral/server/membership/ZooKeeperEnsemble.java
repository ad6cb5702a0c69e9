package io.corral.server.membership;

import io.corral.server.compat.CompatHarness;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.zookeeper.server.quorum.QuorumPeerConfig;
import org.apache.zookeeper.server.quorum.QuorumPeerMain;

/**
 * Apache ZooKeeper 3.9.5 in this JVM: one {@link QuorumPeerMain} per server on its own thread, each reading its
 * zoo.cfg as {@code zkServer.sh start} does. {@code standaloneEnabled} and {@code reconfigEnabled} are JVM-wide in
 * ZooKeeper; closing puts them back to their defaults for the next test.
 */
final class ZooKeeperEnsemble implements StartedEnsemble {
    private final EnsembleFiles files;
    private final List<QuorumPeerMain> peers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    private ZooKeeperEnsemble(EnsembleFiles files) {
        this.files = files;
    }

    /** Parses every zoo.cfg first (a file ZooKeeper refuses throws here), then starts the servers. */
    static ZooKeeperEnsemble start(EnsembleFiles files) {
        CompatHarness.init();
        ZooKeeperEnsemble ensemble = new ZooKeeperEnsemble(files);
        try {
            List<QuorumPeerConfig> configs = new ArrayList<>();
            for (EnsembleFiles.Server s : files.servers) {
                QuorumPeerConfig config = new QuorumPeerConfig();
                config.parse(files.zooCfg(s.id()).toString());
                configs.add(config);
            }
            for (QuorumPeerConfig config : configs) {
                ensemble.run(config);
            }
        } catch (QuorumPeerConfig.ConfigException e) {
            ensemble.close();
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return ensemble;
    }

    private void run(QuorumPeerConfig config) {
        QuorumPeerMain peer = new QuorumPeerMain();
        Thread thread = new Thread(() -> {
            try {
                peer.runFromConfig(config);
            } catch (IOException | RuntimeException e) {
                // the peer was closed, or failed: the test sees it not serving
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "zk-peer-" + config.getServerId());
        thread.setDaemon(true);
        peers.add(peer);
        threads.add(thread);
        thread.start();
    }

    @Override
    public EnsembleFiles files() {
        return files;
    }

    @Override
    public void close() {
        for (QuorumPeerMain peer : peers) {
            peer.close();
        }
        for (Thread thread : threads) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        QuorumPeerConfig.setStandaloneEnabled(true);
        QuorumPeerConfig.setReconfigEnabled(false);
    }
}
