package io.corral.server.membership;

import io.corral.server.CorralServer;
import io.corral.server.config.ServerConfig;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Corral servers in this JVM, each started from its zoo.cfg as {@code bin/corral-server start} would. */
public final class CorralEnsemble implements StartedEnsemble {
    private final EnsembleFiles files;
    private final Map<Long, CorralServer> running = new TreeMap<>();

    private CorralEnsemble(EnsembleFiles files) {
        this.files = files;
    }

    /** Starts the servers of the ensemble's configuration (not the spares). */
    public static CorralEnsemble start(EnsembleFiles files) {
        CorralEnsemble ensemble = new CorralEnsemble(files);
        try {
            for (EnsembleFiles.Server s : files.servers.subList(0, files.initial)) {
                ensemble.startServer(s.id());
            }
        } catch (RuntimeException e) {
            ensemble.close();
            throw e;
        }
        return ensemble;
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
        if (running.containsKey(id)) {
            throw new IllegalStateException("server " + id + " runs already");
        }
        running.put(id, CorralServer.start(ServerConfig.load(files.zooCfg(id))));
    }

    @Override
    public void stopServer(long id) {
        CorralServer server = running.remove(id);
        if (server != null) {
            server.close();
        }
    }

    @Override
    public void close() {
        running.values().forEach(CorralServer::close);
        running.clear();
    }
}
