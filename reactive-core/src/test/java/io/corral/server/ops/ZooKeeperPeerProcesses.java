package io.corral.server.ops;

import io.corral.net.LoopbackPorts;
import io.corral.server.membership.EnsembleFiles;
import io.corral.server.membership.StartedEnsemble;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An Apache ZooKeeper 3.9.5 ensemble of {@link EnsembleFiles}, one child JVM per member ({@link ZooKeeperProcess}),
 * each with its AdminServer on a port of its own: ZooKeeper keeps the AdminServer's settings in JVM-wide system
 * properties, so members in one JVM could not have one each.
 */
final class ZooKeeperPeerProcesses implements StartedEnsemble {
    private final EnsembleFiles files;
    private final List<String> jvmFlags;
    private final Map<Long, Integer> adminPorts = new LinkedHashMap<>();
    private final Map<Long, ZooKeeperProcess> running = new LinkedHashMap<>();

    private ZooKeeperPeerProcesses(EnsembleFiles files, List<String> jvmFlags) {
        this.files = files;
        this.jvmFlags = List.copyOf(jvmFlags);
    }

    /** Starts every member, its AdminServer on 127.0.0.1; returns once every client port answers. */
    static ZooKeeperPeerProcesses start(EnsembleFiles files) {
        return start(files, List.of());
    }

    /** As {@link #start(EnsembleFiles)}, every JVM started with {@code jvmFlags} too. */
    static ZooKeeperPeerProcesses start(EnsembleFiles files, List<String> jvmFlags) {
        ZooKeeperPeerProcesses ensemble = new ZooKeeperPeerProcesses(files, jvmFlags);
        Iterator<Integer> ports = LoopbackPorts.reserve(files.servers().size()).iterator();
        try {
            for (EnsembleFiles.Server s : files.servers()) {
                ensemble.adminPorts.put(s.id(), ports.next());
                ensemble.startServer(s.id());
            }
        } catch (RuntimeException | Error e) {
            ensemble.close();
            throw e;
        }
        return ensemble;
    }

    /** {@code http://127.0.0.1:port/commands} of member {@code id}'s AdminServer. */
    String commandsUrl(long id) {
        return "http://127.0.0.1:" + adminPorts.get(id) + "/commands";
    }

    @Override
    public EnsembleFiles files() {
        return files;
    }

    @Override
    public Set<Long> running() {
        return Set.copyOf(running.keySet());
    }

    @Override
    public void startServer(long id) {
        List<String> flags = new ArrayList<>(List.of("-Dzookeeper.admin.enableServer=true",
                "-Dzookeeper.admin.serverAddress=127.0.0.1", "-Dzookeeper.admin.serverPort=" + adminPorts.get(id)));
        flags.addAll(jvmFlags);
        int clientPort = files.servers().get((int) id - 1).clientPort();
        running.put(id, ZooKeeperProcess.startPeer(files.zooCfg(id), clientPort, flags));
    }

    @Override
    public void stopServer(long id) {
        ZooKeeperProcess process = running.remove(id);
        if (process != null) {
            process.close();
        }
    }

    @Override
    public void close() {
        running.values().forEach(ZooKeeperProcess::close);
        running.clear();
    }
}
