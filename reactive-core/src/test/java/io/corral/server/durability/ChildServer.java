package io.corral.server.durability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.corral.server.childjvm.ChildJvm;

/**
 * A Corral server ({@code io.corral.server.Main}) in a child JVM on loopback ({@link ChildJvm}), with a zoo.cfg of
 * its own and its output appended to a log file. Only the process this object started is ever ended, through its own
 * {@link Process} handle.
 */
final class ChildServer implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(20);

    private final Path cfg;
    private final Path logFile;
    private final int port;
    private Process process;

    /**
     * Writes {@code <dir>/zoo.cfg} (clientPortAddress 127.0.0.1, the given port, the 4lw whitelist "*", plus
     * {@code keys}); the server logs to {@code <dir>/server.log}.
     */
    ChildServer(Path dir, int port, Map<String, String> keys) {
        this.port = port;
        this.cfg = dir.resolve("zoo.cfg");
        this.logFile = dir.resolve("server.log");
        Properties props = new Properties();
        props.setProperty("clientPort", Integer.toString(port));
        props.setProperty("clientPortAddress", "127.0.0.1");
        props.setProperty("4lw.commands.whitelist", "*");
        keys.forEach(props::setProperty);
        try (var out = Files.newBufferedWriter(cfg, StandardCharsets.UTF_8)) {
            props.store(out, "written by " + ChildServer.class.getSimpleName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    String connectString() {
        return "127.0.0.1:" + port;
    }

    Path logFile() {
        return logFile;
    }

    /** Launches the child JVM; does not wait for it to serve. */
    Process launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running: pid " + process.pid());
        }
        process = ChildJvm.launchServer(cfg, logFile, "512m");
        return process;
    }

    /** Launches the child JVM and waits until it answers {@code ruok} on its client port. */
    void start() {
        ChildJvm.awaitAnswering(launch(), port, START_TIMEOUT, "Corral child", this::log);
    }

    /** SIGKILL (on Linux {@code destroyForcibly} is kill -9) and wait for the process to be gone. */
    void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        ChildJvm.kill(p, EXIT_TIMEOUT);
        ChildJvm.note(logFile, "killed pid " + p.pid() + " with SIGKILL");
    }

    /** SIGTERM (on Linux {@code destroy}): the server's shutdown hook closes it cleanly. */
    void terminate() {
        process.destroy();
        ChildJvm.note(logFile, "sent SIGTERM to pid " + process.pid());
    }

    /** Waits (bounded) for the launched process to exit by itself; returns its exit status. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the server process did not exit within " + timeout + "; its output:\n"
                        + log());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "(no output)";
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    /** Ends the process this object started, if it still runs. */
    @Override
    public void close() {
        Process p = process;
        if (p != null && p.isAlive()) {
            ChildJvm.kill(p, EXIT_TIMEOUT);
        }
    }

    @Override
    public String toString() {
        return "ChildServer" + Arrays.asList(connectString(), process == null ? "not started" : "pid " + process.pid());
    }
}
