package io.corral.server;

import io.corral.server.config.ConfigException;
import io.corral.server.config.ServerConfig;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code corral-server [zoo.cfg]}: runs a server (standalone, or one of an ensemble when the file lists servers) in the
 * foreground until it is stopped. Its pid is kept in {@code dataDir/corral_server.pid} while it runs (for
 * {@code corral-server stop}); stopped gracefully (SIGTERM), a leader hands leadership over first.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);
    /** The file, in dataDir, that holds the pid of the server running on it. */
    public static final String PID_FILE = "corral_server.pid";

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 1) {
            System.err.println("usage: corral-server [zoo.cfg]");
            System.exit(2);
        }
        ServerConfig config;
        try {
            config = args.length == 0 ? ServerConfig.embeddedDefaults() : ServerConfig.load(Path.of(args[0]));
        } catch (ConfigException e) {
            System.err.println("Invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        CorralServer server;
        try {
            server = CorralServer.start(config); // TLS material is loaded here: a bad file is a ConfigException
        } catch (ConfigException e) {
            System.err.println("Invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path pidFile = config.dataDir().resolve(PID_FILE);
        writePid(pidFile);
        // the core gives a hand-over up after syncLimit ticks: wait that long, and a little more
        long handOverMillis = config.ensemble().map(e -> (long) e.syncLimit() * config.tickTime()).orElse(0L) + 1_000;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (server.handOverLeadership(handOverMillis)) {
                    log.info("Leadership handed over; stopping");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server.close();
            deleteQuietly(pidFile);
            stopped.countDown();
        }, "corral-shutdown"));
        // ZooKeeper's server exits when its log fails too: a supervisor restarts it, its clients went elsewhere
        server.stoppedByLogFailure().thenRun(() -> System.exit(1));
        stopped.await();
    }

    private static void writePid(Path pidFile) {
        try {
            Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            log.warn("Could not write the pid file {}: {}", pidFile, e.toString());
        }
    }

    private static void deleteQuietly(Path pidFile) {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            log.warn("Could not delete the pid file {}: {}", pidFile, e.toString());
        }
    }
}
