package org.apache.zookeeper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.zookeeper.cli.CliCommand;
import org.apache.zookeeper.util.ServiceUtils;
import org.awaitility.Awaitility;

/**
 * Apache ZooKeeper 3.9.5's shell (ZooKeeperMain, what zkCli.sh runs) driven in this JVM, its output captured: the
 * reference the Corral shell is compared with. It lives in ZooKeeperMain's package to reach what zkCli.sh's own
 * main loop uses (the exit code of the last command, the command table whose streams are bound at class load).
 *
 * <p>ZooKeeperMain prints to System.out/err and asks for System.exit on quit: while a driver is open, both streams
 * are redirected here and exit requests are recorded instead. One driver at a time per JVM.
 */
public final class ZkCliDriver implements AutoCloseable {
    private static final Object ONE_AT_A_TIME = new Object();

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    private final PrintStream savedOut = System.out;
    private final PrintStream savedErr = System.err;
    private final List<Integer> exitRequests = new ArrayList<>();
    private final ZooKeeperMain main;

    /**
     * Starts ZooKeeperMain with these command-line arguments; with {@code -waitforconnection} the constructor returns
     * once the session is up (after the SyncConnected event is printed).
     */
    public ZkCliDriver(String... args) throws IOException, InterruptedException {
        synchronized (ONE_AT_A_TIME) {
            System.setOut(out);
            System.setErr(err);
        }
        ServiceUtils.setSystemExitProcedure(code -> {
            synchronized (exitRequests) {
                exitRequests.add(code);
            }
        });
        for (CliCommand c : ZooKeeperMain.commandMapCli.values()) {
            c.setOut(out);
            c.setErr(err);
        }
        main = new ZooKeeperMain(args);
    }

    /** One line as typed at the prompt; returns the exit code the shell would report for it. */
    public int executeLine(String line) throws IOException, InterruptedException {
        main.executeLine(line);
        return main.exitCode;
    }

    /** What {@code zkCli.sh -server ... cmd args} does after connecting: runs the command of the arguments. */
    public int runCommandOfArguments() throws IOException, InterruptedException {
        main.processCmd(main.cl);
        return main.exitCode;
    }

    public String stdout() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    public String stderr() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    /** The exit codes quit asked for. */
    public List<Integer> exitRequests() {
        synchronized (exitRequests) {
            return List.copyOf(exitRequests);
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            if (main.zk != null && main.zk.getState().isAlive()) {
                main.zk.close();
                // the Closed event is printed by the client's event thread: let it land here, not in the next driver
                Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> stdout().endsWith("WatchedEvent state:Closed type:None path:null zxid: -1\n"));
            }
        } finally {
            ServiceUtils.setSystemExitProcedure(ServiceUtils.SYSTEM_EXIT);
            for (CliCommand c : ZooKeeperMain.commandMapCli.values()) {
                c.setOut(savedOut);
                c.setErr(savedErr);
            }
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }
}
