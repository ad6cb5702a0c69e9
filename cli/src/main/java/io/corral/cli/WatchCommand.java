package io.corral.cli;

import io.corral.client.Change;
import io.corral.client.ClientClosedException;
import io.corral.client.CorralClient;
import io.corral.client.KeeperErrorException;
import io.corral.client.WatchMode;

import java.io.PrintStream;

/**
 * {@code watch [-R] [-z ZXID] [-n COUNT] path} (Corral's own, not zkCli's): prints every committed change to the
 * node (with -R, to its subtree), one line each, {@code <zxid as 0x-hex> <ZooKeeper's event type> <path>}, in zxid
 * order and exactly once, resuming by itself across disconnects and failover (Corral's resumable streams). From the
 * server's current state, or after ZXID with -z; ends after COUNT changes with -n, or when interrupted.
 */
final class WatchCommand extends ShellCommand {
    WatchCommand() {
        super("watch", "[-R] [-z ZXID] [-n COUNT] path", new Options()
                .flag('R', "the whole subtree")
                .valued('z', "start after this zxid (0x-hex or decimal)")
                .valued('n', "exit after this many changes"), true);
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        requireArgs(p, 2);
        if (shell.session() == null) {
            throw new CliException("Not connected");
        }
        String path = pathArgument(p);
        long from = p.has('z') ? zxid(p.value('z')) : CorralClient.NOW;
        long count = p.has('n') ? parseInt(p.value('n'), "-n argument must be an int value") : Long.MAX_VALUE;
        if (count < 0) {
            throw new CliException("-n argument must not be negative");
        }
        PrintStream out = out(shell);
        try {
            client(shell).watch(path, p.has('R') ? WatchMode.SUBTREE : WatchMode.NODE, from)
                    .take(count)
                    .doOnNext(change -> {
                        out.println(line(change));
                        out.flush();
                    })
                    .blockLast();
        } catch (KeeperErrorException e) {
            throw new CliException(KeeperMessages.describe(e)
                    + (e.code() == io.corral.protocol.ErrorCode.UNIMPLEMENTED ? " (watch needs a Corral server)" : ""));
        } catch (ClientClosedException e) {
            throw new CliException(KeeperMessages.keeperMessage(io.corral.protocol.ErrorCode.CONNECTION_LOSS, path));
        }
    }

    static String line(Change change) {
        return "0x" + Long.toHexString(change.zxid()) + " " + change.type().zooKeeperName() + " " + change.path();
    }

    private static long zxid(String text) throws CliException {
        try {
            return text.startsWith("0x") || text.startsWith("0X") ? Long.parseUnsignedLong(text.substring(2), 16)
                    : Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new CliException("-z argument must be a zxid (0x-hex or decimal)");
        }
    }
}
