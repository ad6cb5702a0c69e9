package io.corral.cli;

import java.util.Optional;

import io.corral.protocol.ErrorCode;
import io.corral.protocol.Stat;

/** {@code stat [-w] path}: the Stat; with -w an exists watch (which also fires when a missing node is created). */
final class StatCommand extends ShellCommand {
    private static final Options OPTIONS = new Options().flag('w', "watch");

    StatCommand() {
        super("stat", "[-w] path", OPTIONS);
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        requireArgs(p, 2);
        boolean watch = p.has('w') || OldWatchArgument.watchArgument(p, shell, "stat");
        String path = pathArgument(p);
        Optional<Stat> stat;
        if (watch) {
            Session session = shell.session();
            stat = await(client(shell).existsAndWatch(path).doOnNext(w -> session.watches.add(
                    w.value().isPresent() ? ShellWatches.Kind.DATA : ShellWatches.Kind.EXIST, path,
                    w.change().subscribe(e -> { }, e -> { })))).value();
        } else {
            stat = Optional.ofNullable(await(client(shell).exists(path)));
        }
        if (stat.isEmpty()) {
            throw new CliException(KeeperMessages.describe(ErrorCode.NO_NODE, path));
        }
        StatPrinter.print(out(shell), stat.get());
    }
}
