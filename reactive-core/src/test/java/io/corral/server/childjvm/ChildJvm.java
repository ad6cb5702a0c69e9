package io.corral.server.childjvm;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A Corral server ({@code io.corral.server.Main <zoo.cfg>}) in a child JVM, for the tests that need a real process to
 * kill: the command line (this JVM's classpath, its module and Chronicle flags, never BlockHound's), the launch with
 * the output appended to a log file, the wait until it answers, and the kill. Only the {@link Process} handed in is
 * ever signalled.
 */
public final class ChildJvm {
    /** The flag BlockHound needs in the test JVM; a server has no business with it. */
    private static final String BLOCKHOUND_FLAG = "-XX:+AllowRedefinitionToAddDeleteMethods";
    /** How long a client port may take to answer one {@code ruok} while the server starts. */
    private static final Duration RUOK_TIMEOUT = Duration.ofSeconds(2);

    private ChildJvm() {
    }

    /**
     * The flags a child JVM gets: {@code -Dcorral.test.jvm.flags} when set, otherwise the module, Chronicle and
     * system-property flags this test JVM was started with (surefire's argLine, which is corral.test.jvm.flags),
     * in both cases without BlockHound's.
     */
    public static List<String> flags() {
        String configured = System.getProperty("corral.test.jvm.flags");
        List<String> source = configured != null && !configured.isBlank()
                ? Arrays.asList(configured.trim().split("\\s+"))
                : ManagementFactory.getRuntimeMXBean().getInputArguments();
        return source.stream()
                .filter(f -> !f.equals(BLOCKHOUND_FLAG) && !f.startsWith("-javaagent"))
                .filter(f -> f.startsWith("--add-opens") || f.startsWith("--add-exports")
                        || f.startsWith("-Dchronicle."))
                .toList();
    }

    /**
     * Launches {@code io.corral.server.Main cfg} with at most {@code maxHeap} of heap (e.g. "256m"), stdout and
     * stderr appended to {@code logFile}; returns at once.
     */
    public static Process launchServer(Path cfg, Path logFile, String maxHeap) {
        return launchServer(cfg, logFile, maxHeap, System.getProperty("java.class.path"));
    }

    /** As {@link #launchServer(Path, Path, String)}, on that class path. */
    public static Process launchServer(Path cfg, Path logFile, String maxHeap, String classPath) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1"); // starts faster; a test server does little work
        command.addAll(flags());
        // the tests' servers run several at a time on loopback: no AdminServer on 0.0.0.0:8080 unless a test's
        // zoo.cfg asks for one (a zoo.cfg key wins over the property, as in ZooKeeper)
        command.add("-Dzookeeper.admin.enableServer=false");
        command.add("-cp");
        command.add(classPath);
        command.add("io.corral.server.Main");
        command.add(cfg.toString());
        note(logFile, "launching io.corral.server.Main " + cfg);
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until {@code started} answers {@code ruok} on 127.0.0.1:clientPort; fails at once, with {@code output},
     * if the process exits first.
     */
    public static void awaitAnswering(Process started, int clientPort, Duration timeout, String who,
            Supplier<String> output) {
        await(who + " (pid " + started.pid() + ") listening on 127.0.0.1:" + clientPort)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!started.isAlive()) {
                        throw new AssertionError(who + " exited with status " + started.exitValue()
                                + " during start-up; its output:\n" + output.get());
                    }
                    return "imok".equals(FourLetterWordClient.ask(clientPort, "ruok", RUOK_TIMEOUT));
                });
    }

    /** SIGKILL to {@code p}'s pid ({@code destroyForcibly}; a stopped process dies too), then {@link #awaitGone}. */
    public static void kill(Process p, Duration timeout) {
        p.destroyForcibly();
        awaitGone(p, timeout);
    }

    /** Waits (bounded) until a killed process is gone; an IllegalStateException if it is still there. */
    public static void awaitGone(Process p, Duration timeout) {
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("pid " + p.pid() + " still alive " + timeout + " after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A line of the harness's own in a server's log, so the log reads as a timeline. */
    public static void note(Path logFile, String line) {
        try {
            Files.writeString(logFile, "==== " + LocalTime.now() + " " + line + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // diagnostics only
        }
    }
}
