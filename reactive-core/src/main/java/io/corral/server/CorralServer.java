package io.corral.server;

import io.corral.server.config.ServerConfig;
import io.corral.server.net.ClientPortServer;
import io.corral.server.sequencer.Sequencer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;

/** A standalone Corral server: the sequencer and the client port around it. */
public final class CorralServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CorralServer.class);

    private final Sequencer sequencer;
    private final ClientPortServer clientPort;

    private CorralServer(Sequencer sequencer, ClientPortServer clientPort) {
        this.sequencer = sequencer;
        this.clientPort = clientPort;
    }

    /** Starts a server and returns once it accepts connections. */
    public static CorralServer start(ServerConfig config) {
        try {
            Files.createDirectories(config.dataDir());
            Files.createDirectories(config.dataLogDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create data directories under " + config.dataDir(), e);
        }
        Sequencer sequencer = new Sequencer(config);
        sequencer.start();
        ClientPortServer clientPort;
        try {
            clientPort = ClientPortServer.bind(config, sequencer);
        } catch (RuntimeException e) {
            sequencer.close();
            throw e;
        }
        log.info("Corral standalone server serving clients on {} (in-memory: no transaction log yet)",
                clientPort.address());
        return new CorralServer(sequencer, clientPort);
    }

    public InetSocketAddress clientAddress() {
        return clientPort.address();
    }

    @Override
    public void close() {
        clientPort.close();
        sequencer.close();
    }
}
