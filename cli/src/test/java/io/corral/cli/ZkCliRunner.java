package io.corral.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.zookeeper.ZkCliDriver;

import static org.awaitility.Awaitility.await;

/** Runs scripts and one-shot commands through Apache ZooKeeper's zkCli (the reference). */
final class ZkCliRunner {
    private ZkCliRunner() {
    }

    /** The script's lines as typed in one interactive session; waits for {@code events} watch events. */
    static Transcript script(String connectString, List<String> lines, int events) throws Exception {
        try (ZkCliDriver zk = new ZkCliDriver("-server", connectString, "-waitforconnection")) {
            List<Integer> codes = new ArrayList<>();
            for (String line : lines) {
                codes.add(zk.executeLine(line));
            }
            await().atMost(Duration.ofSeconds(10))
                    .alias("zkCli printed " + events + " watch events; it printed so far:\n" + zk.stdout())
                    .until(() -> Transcript.countEvents(zk.stdout()) >= events);
            Transcript t = Transcript.of(zk.stdout(), zk.stderr(), codes, connectString);
            if (!zk.exitRequests().isEmpty() && t.stdout().endsWith("Not connected\n")) {
                // quit asked for System.exit, which the driver turns into a no-op: zkCli would have stopped there
                String stdout = t.stdout().substring(0, t.stdout().length() - "Not connected\n".length());
                return new Transcript(stdout, t.stderr(), t.exitCodes(), t.events());
            }
            return t;
        }
    }

    /** {@code zkCli.sh -server <server> command args...}: prints and exit code. */
    static Transcript oneShot(String connectString, List<String> command) throws Exception {
        List<String> args = new ArrayList<>(List.of("-server", connectString, "-waitforconnection"));
        args.addAll(command);
        try (ZkCliDriver zk = new ZkCliDriver(args.toArray(String[]::new))) {
            int code = zk.runCommandOfArguments();
            return Transcript.of(zk.stdout(), zk.stderr(), List.of(code), connectString);
        }
    }
}
