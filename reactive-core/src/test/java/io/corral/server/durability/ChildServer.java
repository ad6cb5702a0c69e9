package io.corral.server.durability;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A Corral server ({@code io.corral.server.Main}) in a child JVM on loopback, started from the test JVM's own
 * classpath with the Chronicle flags, its output appended to a log file. Only the process this object started is
 * ever ended, through its own {@link Process} handle.
 */
final class ChildServer implements AutoCloseable {

    /** The JVM flags Chronicle needs on Java 17+ (the parent pom's corral.test.jvm.flags minus BlockHound's). */
    static final List<String> CHRONICLE_FLAGS = List.of(
            "-Dchronicle.analytics.disable=true",
            "-Dchronicle.announcer.disable=true",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED");

    static final Duration START_TIMEOUT = Duration.ofSeconds(30);

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
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1"); // starts faster; the server does little work per round
        command.addAll(CHRONICLE_FLAGS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.corral.server.Main");
        command.add(cfg.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        try {
            appendLog("==== launching " + String.join(" ", command.subList(command.size() - 2, command.size())));
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return process;
    }

    /** Launches the child JVM and waits until it answers {@code ruok} on its client port. */
    void start() {
        Process started = launch();
        await("Corral child (pid " + started.pid() + ") serving on " + connectString())
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!started.isAlive()) {
                        throw new AssertionError("the server process exited with status " + started.exitValue()
                                + " during start-up; its output:\n" + log());
                    }
                    return "imok".equals(Durability.fourLetterWordOrNull(port, "ruok"));
                });
    }

    /** SIGKILL (on Linux {@code destroyForcibly} is kill -9) and wait for the process to be gone. */
    void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        waitGone(p);
        appendLog("==== killed pid " + p.pid() + " with SIGKILL");
    }

    /** SIGTERM (on Linux {@code destroy}): the server's shutdown hook closes it cleanly. */
    void terminate() {
        process.destroy();
        appendLog("==== sent SIGTERM to pid " + process.pid());
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

    private static void waitGone(Process p) {
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("pid " + p.pid() + " still alive 20 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "(no output)";
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    private void appendLog(String line) {
        try {
            Files.writeString(logFile, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // diagnostics only
        }
    }

    /** Ends the process this object started, if it still runs. */
    @Override
    public void close() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            try {
                p.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "ChildServer" + Arrays.asList(connectString(), process == null ? "not started" : "pid " + process.pid());
    }
}
