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
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import io.corral.log.LogOptions;
import io.corral.log.TxnLog;

/** A Corral server, standalone or in an ensemble: the transaction log, the sequencer, and the client port around them. */
public final class CorralServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CorralServer.class);

    private final TxnLog txnLog;
    private final Sequencer sequencer;
    private final ClientPortServer clientPort;

    private CorralServer(TxnLog txnLog, Sequencer sequencer, ClientPortServer clientPort) {
        this.txnLog = txnLog;
        this.sequencer = sequencer;
        this.clientPort = clientPort;
    }

    /**
     * Recovers the state from the newest valid snapshot plus the log after it, then starts serving; returns once
     * the server accepts connections.
     */
    public static CorralServer start(ServerConfig config) {
        Path snapshotDir = config.dataDir().resolve("snapshots");
        Path logDir = config.dataLogDir().resolve("txnlog");
        try {
            Files.createDirectories(snapshotDir);
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create data directories under " + config.dataDir(), e);
        }
        long started = System.nanoTime();
        TxnLog txnLog = TxnLog.open(logDir, LogOptions.defaults().withForceSync(config.forceSync()));
        long opened = System.nanoTime();
        Sequencer sequencer = new Sequencer(config, txnLog, snapshotDir);
        ClientPortServer clientPort;
        try {
            long zxid = sequencer.recover();
            long recovered = System.nanoTime();
            sequencer.start();
            long ready = System.nanoTime();
            clientPort = ClientPortServer.bind(config, sequencer);
            long bound = System.nanoTime();
            boolean ensemble = config.ensemble().isPresent();
            log.info("Recovered {} 0x{} in {} ms: txn log opened in {} ms, {} in {} ms, {} in {} ms, client port bound in "
                            + "{} ms", ensemble ? "the snapshot at zxid" : "state up to zxid", Long.toHexString(zxid),
                    millis(started, bound), millis(started, opened),
                    ensemble ? "snapshot restored (the log after it waits for the leader's commit)"
                            : "snapshot restored and log replayed", millis(opened, recovered),
                    ensemble ? "ensemble shell ready (the log's epochs indexed)" : "sequencer started",
                    millis(recovered, ready), millis(ready, bound));
        } catch (RuntimeException e) {
            sequencer.close();
            txnLog.close();
            throw e;
        }
        log.info("Corral {} listening for clients on {}, data in {}", config.ensemble()
                .map(e -> "server " + e.myId() + " of an ensemble of " + e.members().size()).orElse("standalone server"),
                clientPort.address(), config.dataDir());
        return new CorralServer(txnLog, sequencer, clientPort);
    }

    private static long millis(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }

    public InetSocketAddress clientAddress() {
        return clientPort.address();
    }

    @Override
    public void close() {
        clientPort.close();
        sequencer.close();
        txnLog.close();
    }
}
