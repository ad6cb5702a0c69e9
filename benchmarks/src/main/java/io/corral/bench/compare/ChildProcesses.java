package io.corral.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
