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
import java.io.DataInputStream;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import io.corral.log.CloseableIterator;
import io.corral.log.LogEntry;
import io.corral.log.LogOptions;
import io.corral.log.Snapshot;
import io.corral.log.SnapshotFile;
import io.corral.log.TxnLog;

/** A standalone Corral server: the transaction log, the sequencer, and the client port around them. */
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
        Sequencer sequencer = new Sequencer(config, txnLog, snapshotDir);
        ClientPortServer clientPort;
        try {
            long zxid = recover(sequencer, snapshotDir, txnLog);
            log.info("Recovered state up to zxid 0x{} in {} ms", Long.toHexString(zxid),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            sequencer.start();
            clientPort = ClientPortServer.bind(config, sequencer);
        } catch (RuntimeException e) {
            sequencer.close();
            txnLog.close();
            throw e;
        }
        log.info("Corral standalone server serving clients on {}, data in {}", clientPort.address(),
                config.dataDir());
        return new CorralServer(txnLog, sequencer, clientPort);
    }

    private static long recover(Sequencer sequencer, Path snapshotDir, TxnLog txnLog) {
        SnapshotFile.removeTemporaries(snapshotDir);
        long zxid = 0;
        Optional<Snapshot> snapshot = SnapshotFile.latestValid(snapshotDir);
        if (snapshot.isPresent()) {
            try (DataInputStream in = snapshot.get().open()) {
                zxid = sequencer.restoreSnapshot(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read snapshot " + snapshot.get().path(), e);
            }
        }
        try (CloseableIterator<LogEntry> entries = txnLog.readFrom(zxid)) {
            while (entries.hasNext()) {
                LogEntry entry = entries.next();
                sequencer.replay(entry);
                zxid = entry.zxid();
            }
        }
        return zxid;
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
