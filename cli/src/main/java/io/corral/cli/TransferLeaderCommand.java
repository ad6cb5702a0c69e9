package io.corral.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code transferleader [host:port]} (Corral's own, not zkCli's): hands the ensemble's leadership over, through the
 * four-letter word {@code xfer} (which the servers must whitelist). Without an argument, the leader among the
 * session's servers hands over to its most up-to-date follower; with one, that server takes over. Waits until a
 * server of the session's connect string reports leading, and prints it.
 */
final class TransferLeaderCommand extends ShellCommand {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    TransferLeaderCommand() {
        super("transferleader", "[host:port]", new Options());
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        if (shell.session() == null) {
            throw new CliException("Not connected");
        }
        List<String> servers = FourLetterWord.servers(shell.session().host);
        try {
            String from = p.args().size() > 1 ? p.arg(1) : leader(servers);
            if (from == null) {
                throw new CliException("No server of " + String.join(",", servers) + " is the leader");
            }
            String answer = FourLetterWord.ask(from, "xfer").trim();
            if (!answer.startsWith("Handing leadership over") && !answer.startsWith("Asked the leader")) {
                throw new CliException(from + ": " + answer);
            }
            out(shell).println(from + ": " + answer);
            // a follower asked takes over itself; a leader asked hands over to another server
            String leader = awaitLeader(answer.startsWith("Asked the leader") ? List.of(from)
                    : servers.stream().filter(s -> !s.equals(from)).toList());
            if (leader == null) {
                throw new CliException("No new leader among " + String.join(",", servers) + " within 30 s");
            }
            out(shell).println("Leader is now " + leader);
        } catch (IOException e) {
            throw new CliException("Leadership not transferred: " + e.getMessage());
        }
    }

    /** the server that reports leading, or null */
    private static String leader(List<String> servers) {
        for (String server : servers) {
            try {
                if ("leader".equals(FourLetterWord.mode(FourLetterWord.ask(server, "srvr")))) {
                    return server;
                }
            } catch (IOException e) {
                // down or unreachable: not the leader we can ask
            }
        }
        return null;
    }

    /** waits until one of {@code candidates} reports leading */
    private static String awaitLeader(List<String> candidates) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (System.nanoTime() < deadline) {
            String leader = leader(candidates);
            if (leader != null) {
                return leader;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return null;
    }
}
