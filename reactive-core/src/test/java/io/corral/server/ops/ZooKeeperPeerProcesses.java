package io.corral.server.ops;

import io.corral.server.LoopbackPorts;
import io.corral.server.membership.EnsembleFiles;
import io.corral.server.membership.StartedEnsemble;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Apache ZooKeeper 3.9.5 ensemble of {@link EnsembleFiles}, one child JVM per member ({@link ZooKeeperProcess}),
 * each with its AdminServer on a port of its own: ZooKeeper keeps the AdminServer's settings in JVM-wide system
 * properties, so members in one JVM could not have one each.
 */
final class ZooKeeperPeerProcesses implements StartedEnsemble {
    private final EnsembleFiles files;
    private final Map<Long, Integer> adminPorts = new LinkedHashMap<>();
    private final List<ZooKeeperProcess> running = new ArrayList<>();

    private ZooKeeperPeerProcesses(EnsembleFiles files) {
        this.files = files;
    }

    /** Starts every member, its AdminServer on 127.0.0.1; returns once every client port answers. */
    static ZooKeeperPeerProcesses start(EnsembleFiles files) {
        return start(files, List.of());
    }

    /** As {@link #start(EnsembleFiles)}, every JVM started with {@code jvmFlags} too. */
    static ZooKeeperPeerProcesses start(EnsembleFiles files, List<String> jvmFlags) {
        ZooKeeperPeerProcesses ensemble = new ZooKeeperPeerProcesses(files);
        Iterator<Integer> ports = LoopbackPorts.reserve(files.servers().size()).iterator();
        try {
            for (EnsembleFiles.Server s : files.servers()) {
                int adminPort = ports.next();
                ensemble.adminPorts.put(s.id(), adminPort);
                List<String> flags = new ArrayList<>(List.of("-Dzookeeper.admin.enableServer=true",
                        "-Dzookeeper.admin.serverAddress=127.0.0.1", "-Dzookeeper.admin.serverPort=" + adminPort));
                flags.addAll(jvmFlags);
                ensemble.running.add(ZooKeeperProcess.startPeer(files.zooCfg(s.id()), s.clientPort(), flags));
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
    public void close() {
        running.forEach(ZooKeeperProcess::close);
        running.clear();
    }
}
