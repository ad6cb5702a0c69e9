package io.corral.server.membership;

import io.corral.server.CorralServer;
import io.corral.server.config.ServerConfig;

import java.util.ArrayList;
import java.util.List;

/** Corral servers in this JVM, each started from its zoo.cfg as {@code bin/corral-server start} would. */
public final class CorralEnsemble implements StartedEnsemble {
    private final EnsembleFiles files;
    private final List<CorralServer> running = new ArrayList<>();

    private CorralEnsemble(EnsembleFiles files) {
        this.files = files;
    }

    public static CorralEnsemble start(EnsembleFiles files) {
        CorralEnsemble ensemble = new CorralEnsemble(files);
        try {
            for (EnsembleFiles.Server s : files.servers) {
                ensemble.running.add(CorralServer.start(ServerConfig.load(files.zooCfg(s.id()))));
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
    public void close() {
        running.forEach(CorralServer::close);
        running.clear();
    }
}
