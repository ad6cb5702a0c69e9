package io.corral.server;

import io.corral.server.config.ServerConfig;
import io.corral.server.net.ClientPortServer;
import io.corral.server.sequencer.Sequencer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
        boolean ensemble = config.ensemble().isPresent();
        Phases phases = new Phases();
        TxnLog txnLog = TxnLog.open(logDir, LogOptions.defaults().withForceSync(config.forceSync()));
        phases.done("txn log opened");
        Sequencer sequencer = new Sequencer(config, txnLog, snapshotDir);
        ClientPortServer clientPort;
        try {
            long zxid = sequencer.recover();
            phases.done(ensemble ? "snapshot restored (the log after it waits for the leader's commit)"
                    : "snapshot restored and log replayed");
            sequencer.start();
            phases.done(ensemble ? "ensemble shell ready (the log's epochs indexed)" : "sequencer started");
            clientPort = ClientPortServer.bind(config, sequencer);
            phases.done("client port bound");
            log.info("Recovered {} 0x{} in {}", ensemble ? "the snapshot at zxid" : "state up to zxid",
                    Long.toHexString(zxid), phases);
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

    /**
     * The start-up's phases, each with its wall-clock time and the CPU time of the thread that ran it (the latter
     * tells a slow phase from a starved one on a busy machine).
     */
    private static final class Phases {
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final long started = System.nanoTime();
        private final long startedCpu = cpu();
        private long last = started;
        private long lastCpu = startedCpu;
        private final StringBuilder done = new StringBuilder();

        void done(String phase) {
            long now = System.nanoTime();
            long cpu = cpu();
            done.append(done.length() == 0 ? "" : ", ").append(phase).append(" in ").append(millis(now - last))
                    .append(" ms (CPU ").append(millis(cpu - lastCpu)).append(" ms)");
            last = now;
            lastCpu = cpu;
        }

        private long cpu() {
            return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : 0;
        }

        private static long millis(long nanos) {
            return TimeUnit.NANOSECONDS.toMillis(nanos);
        }

        @Override
        public String toString() {
            return millis(last - started) + " ms (CPU " + millis(lastCpu - startedCpu) + " ms): " + done;
        }
    }

    public InetSocketAddress clientAddress() {
        return clientPort.address();
    }

    /**
     * A leader hands leadership over to its most up-to-date follower and waits (at most {@code timeoutMillis}) until it
     * has stepped down, so that the ensemble elects at once rather than after a timeout; any other server returns at
     * once. Before {@link #close()} on a graceful stop.
     *
     * @return whether leadership was handed over
     */
    public boolean handOverLeadership(long timeoutMillis) throws InterruptedException {
        return sequencer.handOverLeadership(timeoutMillis);
    }

    @Override
    public void close() {
        clientPort.close();
        sequencer.close();
        txnLog.close();
    }
}
