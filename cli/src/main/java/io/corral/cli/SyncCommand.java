package io.corral.cli;

import java.time.Duration;

import io.corral.client.KeeperErrorException;

/** {@code sync path}: waits until the connected server has caught up with the leader. */
final class SyncCommand extends ShellCommand {
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);

    SyncCommand() {
        super("sync", "path", new Options());
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        requireArgs(p, 2);
        String path = pathArgument(p);
        try {
            client(shell).sync(path).block(SYNC_TIMEOUT);
            out(shell).println("Sync is OK");
        } catch (KeeperErrorException e) {
            out(shell).println("Sync has failed. rc=" + e.code());
        } catch (IllegalStateException e) { // no answer within the timeout
            throw new CliException(e.getMessage());
        }
    }
}
