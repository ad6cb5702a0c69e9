package io.corral.server;

import io.corral.server.config.ConfigException;
import io.corral.server.config.ServerConfig;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code corral-server [zoo.cfg]}: runs a server (standalone, or one of an ensemble when the file lists servers) in the foreground until it is stopped. */
public final class Main {
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
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "corral-shutdown"));
        stopped.await();
    }
}
