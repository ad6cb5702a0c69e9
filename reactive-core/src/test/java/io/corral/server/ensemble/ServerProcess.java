package io.corral.server.ensemble;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.corral.server.childjvm.ChildJvm;
import io.corral.server.childjvm.FourLetterWordClient;

/**
 * One Corral server ({@code io.corral.server.Main <zoo.cfg>}) in a child JVM: started from the test JVM's classpath
 * with the test JVM flags minus BlockHound's, output appended to its own log file. Signals go to the pid of the
 * process this object started, and only to it.
 */
public final class ServerProcess implements AutoCloseable {

    /** What {@code srvr} says a server is, plus the two ways of not saying. */
    public enum Role {
        LEADER, FOLLOWER, OBSERVER, STANDALONE,
        /** Answers, but is not serving clients (no quorum yet, or looking for a leader). */
        NOT_SERVING,
        /** Not running, paused, or not answering. */
        UNREACHABLE;

        /** A role that serves clients. */
        public boolean serving() {
            return this == LEADER || this == FOLLOWER || this == OBSERVER || this == STANDALONE;
        }
    }

    private static final Duration FOUR_LETTER_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(20);

    private final int id;
    private final Path dir;
    private final Path cfg;
    private final Path logFile;
    private final int clientPort;
    private Process process;
    private volatile boolean paused;

    /** The server's files live in {@code dir}: zoo.cfg (written by the caller), data/, server.log. */
    ServerProcess(int id, Path dir, int clientPort) {
        this.id = id;
        this.dir = dir;
        this.cfg = dir.resolve("zoo.cfg");
        this.logFile = dir.resolve("server.log");
        this.clientPort = clientPort;
    }

    public int id() {
        return id;
    }

    public int clientPort() {
        return clientPort;
    }

    public Path dir() {
        return dir;
    }

    public Path configFile() {
        return cfg;
    }

    public Path logFile() {
        return logFile;
    }

    /** The pid of the running process, or -1. */
    public long pid() {
        Process p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    public boolean running() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public boolean paused() {
        return paused;
    }

    /** Launches the JVM; returns at once (see {@link #awaitListening}). */
    void launch() {
        if (running()) {
            throw new IllegalStateException("server " + id + " already runs as pid " + process.pid());
        }
        process = ChildJvm.launchServer(cfg, logFile, "256m");
        paused = false;
        note("server " + id + " is pid " + process.pid());
    }

    /** Waits until the process answers {@code ruok} on its client port (running; not necessarily serving). */
    void awaitListening(Duration timeout) {
        ChildJvm.awaitAnswering(process, clientPort, timeout, "server " + id, () -> tail(80));
    }

    /** SIGKILL to the pid, then waits until it is gone. A paused process dies too. */
    void kill9() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        try {
            signal("KILL");
        } catch (IllegalStateException e) {
            // gone between the check and the signal (a server a committed reconfig removes stops by itself): fine
            if (!exitsWithin(p, Duration.ofSeconds(2))) {
                throw e;
            }
        }
        ChildJvm.awaitGone(p, EXIT_TIMEOUT);
        paused = false;
        note("server " + id + " (pid " + p.pid() + ") killed with SIGKILL");
    }

    private static boolean exitsWithin(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM (a graceful stop: a leader hands over first), then waits until it is gone. */
    void terminate() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        signal("TERM");
        ChildJvm.awaitGone(p, EXIT_TIMEOUT);
        note("server " + id + " (pid " + p.pid() + ") stopped with SIGTERM");
    }

    /** SIGSTOP: the process freezes (its sockets stay open, nothing answers) until {@link #resume}. */
    void pause() {
        signal("STOP");
        paused = true;
        long pid = process.pid();
        await("server " + id + " (pid " + pid + ") stopped").atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(10)).until(() -> processState(pid) == 'T');
        note("server " + id + " (pid " + pid + ") paused with SIGSTOP");
    }

    /** SIGCONT. */
    void resume() {
        signal("CONT");
        paused = false;
        long pid = process.pid();
        await("server " + id + " (pid " + pid + ") running again").atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(10)).until(() -> processState(pid) != 'T');
        note("server " + id + " (pid " + pid + ") resumed with SIGCONT");
    }

    /** The role {@code srvr} reports; UNREACHABLE without asking when the process is not running or paused. */
    public Role role() {
        if (!running() || paused) {
            return Role.UNREACHABLE;
        }
        return parseRole(fourLetterWord(clientPort, "srvr"));
    }

    /** The Mode line of a {@code srvr} answer. */
    static Role parseRole(String srvr) {
        if (srvr == null) {
            return Role.UNREACHABLE;
        }
        for (String line : srvr.split("\n")) {
            if (line.startsWith("Mode:")) {
                String mode = line.substring("Mode:".length()).trim();
                switch (mode) {
                    case "leader": return Role.LEADER;
                    case "follower": return Role.FOLLOWER;
                    case "observer": return Role.OBSERVER;
                    case "standalone": return Role.STANDALONE;
                    default: return Role.NOT_SERVING;
                }
            }
        }
        return Role.NOT_SERVING;
    }

    /** The last {@code lines} lines of the server's output. */
    public String tail(int lines) {
        try {
            if (!Files.exists(logFile)) {
                return "(no output)";
            }
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            return (all.size() > lines ? "... " + (all.size() - lines) + " lines before\n" : "")
                    + String.join("\n", last);
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    /** Sends a four-letter word to 127.0.0.1:port; the whole answer, or null if nobody answers in time. */
    static String fourLetterWord(int port, String word) {
        return FourLetterWordClient.ask(port, word, FOUR_LETTER_TIMEOUT);
    }

    private void signal(String signal) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("server " + id + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + p.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The state letter of /proc/pid/stat: R, S, D, T (stopped), Z ...; '?' if it cannot be read. */
    static char processState(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // pid (comm) state ...: comm may hold spaces and parentheses, so look after the last ')'
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException | RuntimeException e) {
            return '?';
        }
    }

    /** A line of the harness's own in the server's log, so the log reads as a timeline. */
    void note(String line) {
        ChildJvm.note(logFile, line);
    }

    /** Ends the process this object started (SIGKILL to its pid), if it still runs. */
    @Override
    public void close() {
        Process p = process;
        if (p != null && p.isAlive()) {
            ChildJvm.kill(p, EXIT_TIMEOUT);
        }
    }

    @Override
    public String toString() {
        return "server " + id + (running() ? " (pid " + process.pid() + (paused ? ", paused" : "") + ")"
                : " (not running)");
    }
}
