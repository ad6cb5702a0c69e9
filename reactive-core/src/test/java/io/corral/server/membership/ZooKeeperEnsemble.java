package io.corral.server.membership;

import io.corral.server.compat.CompatHarness;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.zookeeper.server.quorum.QuorumPeerConfig;
import org.apache.zookeeper.server.quorum.QuorumPeerMain;

/**
 * Apache ZooKeeper 3.9.5 in this JVM: one {@link QuorumPeerMain} per server on its own thread, each reading its
 * zoo.cfg as {@code zkServer.sh start} does. {@code standaloneEnabled} and {@code reconfigEnabled} are JVM-wide in
 * ZooKeeper; closing puts them back to their defaults for the next test.
 */
final class ZooKeeperEnsemble implements StartedEnsemble {
    private final EnsembleFiles files;
    private final Map<Long, QuorumPeerMain> peers = new TreeMap<>();
    private final Map<Long, Thread> threads = new TreeMap<>();

    private ZooKeeperEnsemble(EnsembleFiles files) {
        this.files = files;
    }

    /** Parses every zoo.cfg first (a file ZooKeeper refuses throws here), then starts the servers. */
    static ZooKeeperEnsemble start(EnsembleFiles files) {
        CompatHarness.init();
        ZooKeeperEnsemble ensemble = new ZooKeeperEnsemble(files);
        try {
            List<QuorumPeerConfig> configs = new ArrayList<>();
            for (EnsembleFiles.Server s : files.servers.subList(0, files.initial)) {
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

    @Override
    public Set<Long> running() {
        return Set.copyOf(peers.keySet());
    }

    @Override
    public void startServer(long id) {
        if (peers.containsKey(id)) {
            throw new IllegalStateException("server " + id + " runs already");
        }
        QuorumPeerConfig config = new QuorumPeerConfig();
        try {
            config.parse(files.zooCfg(id).toString());
        } catch (QuorumPeerConfig.ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        run(config);
    }

    @Override
    public void stopServer(long id) {
        QuorumPeerMain peer = peers.remove(id);
        Thread thread = threads.remove(id);
        if (peer != null) {
            peer.close();
            join(thread);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        peers.put(config.getServerId(), peer);
        threads.put(config.getServerId(), thread);
        thread.start();
    }

    @Override
    public EnsembleFiles files() {
        return files;
    }

    @Override
    public void close() {
        for (QuorumPeerMain peer : peers.values()) {
            peer.close();
        }
        for (Thread thread : threads.values()) {
            join(thread);
        }
        peers.clear();
        threads.clear();
        QuorumPeerConfig.setStandaloneEnabled(true);
        QuorumPeerConfig.setReconfigEnabled(false);
    }
}
