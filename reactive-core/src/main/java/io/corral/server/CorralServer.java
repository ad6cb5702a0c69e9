package io.corral.server;

import io.corral.server.config.DataDirectories;
import io.corral.server.config.ServerConfig;
import io.corral.server.net.ClientPortServer;
import io.corral.server.ops.OperatorEndpoints;
import io.corral.server.sequencer.Sequencer;
import io.corral.server.snapshot.LoadedSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import io.corral.log.LogOptions;
import io.corral.log.TxnLog;

/** A Corral server, standalone or in an ensemble: the transaction log, the sequencer, and the client port around them. */
public final class CorralServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CorralServer.class);

    private final TxnLog txnLog;
    private final Sequencer sequencer;
    private final ClientPortServer clientPort;
    private final OperatorEndpoints operators;
    /** Completed with the log's error once the server has closed itself because its transaction log failed. */
    private final CompletableFuture<Throwable> stoppedByLogFailure = new CompletableFuture<>();
    private boolean closed;

    private CorralServer(TxnLog txnLog, Sequencer sequencer, ClientPortServer clientPort,
            OperatorEndpoints operators) {
        this.txnLog = txnLog;
        this.sequencer = sequencer;
        this.clientPort = clientPort;
        this.operators = operators;
    }

    /**
     * Recovers the state from the newest valid snapshot plus the log after it, then starts serving; returns once
     * the server accepts connections.
     */
    public static CorralServer start(ServerConfig config) {
        Path snapshotDir = config.dataDir().resolve(DataDirectories.SNAPSHOTS);
        Path logDir = config.dataLogDir().resolve(DataDirectories.TXN_LOG);
        try {
            Files.createDirectories(snapshotDir);
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create data directories under " + config.dataDir(), e);
        }
        boolean ensemble = config.ensemble().isPresent();
        Phases phases = new Phases();
        // the log opens (Chronicle's start-up and the scan of every entry) while this thread loads the snapshot
        CompletableFuture<TxnLog> opening = new CompletableFuture<>();
        Thread opener = new Thread(() -> {
            try {
                opening.complete(TxnLog.open(logDir, LogOptions.defaults().withForceSync(config.forceSync())
                        .withMaxEntryBytes(config.juteMaxBuffer())));
            } catch (Throwable t) {
                opening.completeExceptionally(t);
            }
        }, "corral-log-open");
        opener.start();
        LoadedSnapshot snapshot;
        try {
            snapshot = LoadedSnapshot.load(snapshotDir);
        } catch (RuntimeException e) {
            opening.thenAccept(TxnLog::close);
            throw e;
        }
        phases.done("snapshot loaded (" + snapshot.tree().nodeCount() + " znodes)");
        TxnLog txnLog = opened(opening);
        phases.done("txn log opened (the rest of it, beyond the snapshot's load)");
        Sequencer sequencer = new Sequencer(config, txnLog, snapshotDir);
        CompletableFuture<Throwable> logFailure = new CompletableFuture<>();
        sequencer.onLogFailure(logFailure::complete);
        ClientPortServer clientPort;
        OperatorEndpoints operators;
        try {
            long zxid = sequencer.recover(snapshot);
            phases.done(ensemble ? "log tail queued (it waits for the leader's commit)" : "log tail replayed");
            sequencer.start();
            phases.done(ensemble ? "ensemble shell ready (the log's epochs indexed)" : "sequencer started");
            clientPort = ClientPortServer.bind(config, sequencer);
            ClientPortServer bound = clientPort;
            sequencer.onClientAddressMoved(address -> {
                Thread mover = new Thread(() -> {
                    try {
                        bound.moveTo(address);
                    } catch (RuntimeException e) {
                        log.error("Cannot listen for clients on {}, the address a reconfiguration gave this server; "
                                + "clients are still taken on {}", address, bound.address(), e);
                    }
                }, "corral-client-port-move");
                mover.setDaemon(true);
                mover.start();
            });
            phases.done("client port bound");
            try {
                operators = OperatorEndpoints.start(config, sequencer.operatorAccess());
            } catch (RuntimeException e) {
                clientPort.close();
                throw e;
            }
            log.info("Recovered {} 0x{} in {}", ensemble ? "the snapshot at zxid" : "state up to zxid",
                    Long.toHexString(zxid), phases);
        } catch (RuntimeException e) {
            sequencer.close();
            txnLog.close();
            throw e;
        }
        log.info("Corral {} listening for clients on {}, data in {}, txn log in {}{}", config.ensemble()
                .map(e -> "server " + e.myId() + " of an ensemble of " + e.members().size()).orElse("standalone server"),
                clientPort.address(), config.dataDir(), config.dataLogDir(),
                operators.urls().isEmpty() ? "" : ", " + String.join(", ", operators.urls()));
        CorralServer server = new CorralServer(txnLog, sequencer, clientPort, operators);
        // not on the sequencer's thread, which close() waits for
        logFailure.thenAccept(failure -> {
            Thread stopper = new Thread(() -> server.stopAfter(failure), "corral-stop-on-log-failure");
            stopper.setDaemon(true);
            stopper.start();
        });
        return server;
    }

    private void stopAfter(Throwable logFailure) {
        log.error("Stopping: the transaction log failed ({}); as ZooKeeper's, the server does not go on without it",
                logFailure.toString());
        try {
            close();
        } finally {
            stoppedByLogFailure.complete(logFailure);
        }
    }

    /**
     * Completes, with the log's error, once the server has closed itself because its transaction log failed (a full
     * disk, an I/O error): {@code corral-server} then exits with status 1, as ZooKeeper's does.
     */
    public CompletableFuture<Throwable> stoppedByLogFailure() {
        return stoppedByLogFailure;
    }

    private static TxnLog opened(CompletableFuture<TxnLog> opening) {
        try {
            return opening.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
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
        synchronized (this) {
            if (closed) {
                return false;
            }
        }
        return sequencer.handOverLeadership(timeoutMillis);
    }

    /** Where Prometheus scrapes (metricsProvider.*), or null when metrics are off. */
    public InetSocketAddress metricsAddress() {
        return operators.metricsAddress();
    }

    /** Where the AdminServer listens (admin.*), or null when it is off. */
    public InetSocketAddress adminAddress() {
        return operators.adminAddress();
    }

    /** The transaction log, for tests that make it fail under the server. */
    TxnLog txnLog() {
        return txnLog;
    }

    /** The TLS-only client port ({@code secureClientPort}), or null when there is none. */
    public InetSocketAddress secureClientAddress() {
        return clientPort.secureAddress();
    }

    /**
     * Stops the server; a later call returns once the first one is done (the server may have closed itself, see
     * {@link #stoppedByLogFailure}).
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        operators.close();
        clientPort.close();
        sequencer.close();
        txnLog.close();
    }
}
