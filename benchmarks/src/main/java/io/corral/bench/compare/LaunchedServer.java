package io.corral.bench.compare;

import java.nio.file.Path;

/** A server JVM a benchmark driver started: which server, its ensemble id (0 standalone), pid and client port. */
final class LaunchedServer {
    final ServerKind kind;
    final int id;
    final boolean observer;
    final Process process;
    final int clientPort;
    final Path logFile;
    final long launchedAt;
    /** When it first answered srvr as serving (System.nanoTime), 0 before. */
    volatile long servingAt;

    LaunchedServer(ServerKind kind, int id, boolean observer, Process process, int clientPort, Path logFile,
                   long launchedAt) {
        this.kind = kind;
        this.id = id;
        this.observer = observer;
        this.process = process;
        this.clientPort = clientPort;
        this.logFile = logFile;
        this.launchedAt = launchedAt;
    }

    long pid() {
        return process.pid();
    }

    String address() {
        return "127.0.0.1:" + clientPort;
    }

    /** The srvr Mode (leader, follower, observer, standalone), or null when not serving or not running. */
    String mode() {
        if (!process.isAlive()) {
            return null;
        }
        String answer = FourLetterWords.srvr(clientPort);
        return FourLetterWords.serving(answer) ? FourLetterWords.mode(answer) : null;
    }

    @Override
    public String toString() {
        return kind.title + (id > 0 ? " server " + id : "") + " (pid " + process.pid() + ", port " + clientPort + ")";
    }
}
