package io.corral.cli;

import io.corral.client.KeeperErrorException;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.WatcherType;
import reactor.core.Disposable;

/**
 * {@code removewatches path [-c|-d|-a] [-l]} (and {@code -p}, {@code -r} for persistent ones): removes the shell's
 * watches of a kind on a path, on the server too unless {@code -l}, and reports each kind removed as an event.
 */
final class RemoveWatchesCommand extends ShellCommand {
    private static final Options OPTIONS = new Options().flag('c', "child watcher type")
            .flag('d', "data watcher type").flag('p', "persistent watcher type")
            .flag('r', "persistent recursive watcher type").flag('a', "any watcher type")
            .flag('l', "remove locally when there is no server connection");

    RemoveWatchesCommand() {
        super("removewatches", "path [-c|-d|-a] [-l]", OPTIONS);
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        requireArgs(p, 2);
        int type = WatcherType.ANY;
        if (p.has('c')) {
            type = WatcherType.CHILDREN;
        } else if (p.has('d')) {
            type = WatcherType.DATA;
        } else if (p.has('p')) {
            type = WatcherType.PERSISTENT;
        } else if (p.has('r')) {
            type = WatcherType.PERSISTENT_RECURSIVE;
        }
        String path = pathArgument(p);
        Session session = shell.session();
        if (!session.watches.has(path, type)) {
            throw new CliException(KeeperMessages.keeperMessage(ErrorCode.NO_WATCHER, path));
        }
        if (!p.has('l')) {
            try {
                client(shell).removeWatches(path, type).block();
            } catch (KeeperErrorException e) {
                throw new CliException(KeeperMessages.describe(e));
            }
        }
        ShellWatches.Removal removal = session.watches.remove(path, type);
        removal.registrations().forEach(Disposable::dispose);
        for (int eventType : removal.eventTypes()) {
            shell.report(ShellEvent.removed(eventType, path));
        }
    }
}
