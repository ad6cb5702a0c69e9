package io.corral.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import io.corral.client.CorralClient;
import io.corral.client.KeeperErrorException;
import io.corral.client.WatchMode;
import reactor.core.Disposable;

/**
 * {@code addWatch [-m mode] path}: a persistent watch (the node and its children) or a persistent recursive one (the
 * whole subtree), until removewatches.
 */
final class AddWatchCommand extends ShellCommand {
    private static final String PERSISTENT = "PERSISTENT";
    private static final String PERSISTENT_RECURSIVE = "PERSISTENT_RECURSIVE";

    AddWatchCommand() {
        super("addWatch", "[-m mode] path # optional mode is one of [" + PERSISTENT + ", " + PERSISTENT_RECURSIVE
                + "] - default is " + PERSISTENT_RECURSIVE, new Options().valued('m', ""));
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        if (p.args().size() != 2) {
            throw usage();
        }
        String mode = p.has('m') ? p.value('m').toUpperCase(Locale.ROOT) : PERSISTENT_RECURSIVE;
        if (!mode.equals(PERSISTENT) && !mode.equals(PERSISTENT_RECURSIVE)) {
            throw usage();
        }
        String path = pathArgument(p);
        Session session = shell.session();
        CorralClient client = client(shell);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<WatchMode> streams = mode.equals(PERSISTENT) ? List.of(WatchMode.NODE, WatchMode.CHILDREN)
                : List.of(WatchMode.SUBTREE);
        ShellWatches.Kind kind = mode.equals(PERSISTENT) ? ShellWatches.Kind.PERSISTENT : ShellWatches.Kind.RECURSIVE;
        for (WatchMode m : streams) {
            // the events themselves are printed from the client's notifications; the stream holds the watch
            Disposable d = client.watch(path, m).subscribe(e -> { }, failure::set);
            session.watches.add(kind, path, d);
        }
        // a request sent after the watch is answered after it: once it is, a refused watch has reported its error
        try {
            client.exists(path).block();
        } catch (KeeperErrorException e) {
            // the watch's own outcome is what matters
        }
        Throwable refused = failure.get();
        if (refused != null) {
            session.watches.remove(path, kind == ShellWatches.Kind.PERSISTENT
                    ? io.corral.protocol.WatcherType.PERSISTENT : io.corral.protocol.WatcherType.PERSISTENT_RECURSIVE)
                    .registrations().forEach(Disposable::dispose);
            if (refused instanceof KeeperErrorException k) {
                throw new CliException(KeeperMessages.describe(k));
            }
            throw new CliException(refused.toString());
        }
    }
}
