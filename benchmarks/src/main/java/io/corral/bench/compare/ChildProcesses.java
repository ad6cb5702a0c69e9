package io.corral.bench.compare;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The processes a benchmark driver started (servers, load tools, jcmd): each is ended through its own pid, never
 * by name. Their pids are kept in a file so that the start script's trap can end them should the driver itself die.
 */
final class ChildProcesses {
    private final Set<Process> live = ConcurrentHashMap.newKeySet();
    private final Path pidFile;

    /** {@code pidFile} may be null (no script around the driver). */
    ChildProcesses(Path pidFile) {
        this.pidFile = pidFile;
    }

    /** What a bounded child run printed on stdout; exitValue is -1 when it was stopped at its time limit. */
    record Output(String stdout, boolean finished, int exitValue) {
    }

    /**
     * Runs {@code command} (stderr to {@code errLog}), collecting its stdout; stops it by pid when it takes longer
     * than {@code limitSeconds}.
     */
    Output run(List<String> command, Path errLog, long limitSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(errLog.toFile()).start();
        track(p);
        StringBuilder stdout = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                synchronized (stdout) {
                    stdout.append(text);
                }
            } catch (IOException e) {
                // the process was killed
            }
        }, "child-stdout");
        reader.setDaemon(true);
        reader.start();
        boolean finished;
        try {
            finished = p.waitFor(limitSeconds, TimeUnit.SECONDS);
            if (finished) {
                reader.join(5_000);
            }
        } finally {
            stop(p);
        }
        synchronized (stdout) {
            return new Output(stdout.toString(), finished, finished ? p.exitValue() : -1);
        }
    }

    void track(Process p) {
        live.add(p);
        writePids();
    }

    /** SIGTERM to the pid, then SIGKILL if it has not exited within 15 s. */
    void stop(Process p) {
        if (p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        forget(p);
    }

    /** SIGKILL to the pid (kill -9: no shutdown hook, no flush), then waits until the process is gone. */
    void kill9(Process p) throws InterruptedException {
        p.destroyForcibly();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pid " + p.pid() + " still alive 10 s after SIGKILL");
        }
        forget(p);
    }

    void stopAll() {
        for (Process p : new ArrayList<>(live)) {
            stop(p);
        }
    }

    private void forget(Process p) {
        live.remove(p);
        writePids();
    }

    private synchronized void writePids() {
        if (pidFile == null) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (Process p : live) {
            sb.append(p.pid()).append('\n');
        }
        try {
            Files.writeString(pidFile, sb.toString());
        } catch (IOException e) {
            // the pid file is only a fallback for the script's trap
        }
    }
}
