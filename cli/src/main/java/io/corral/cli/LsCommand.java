package io.corral.cli;

import java.util.ArrayList;
import java.util.List;

import io.corral.client.Children;
import io.corral.client.Watched;

/** {@code ls [-s] [-w] [-R] path}: the sorted children, optionally the Stat, a child watch, or the whole subtree. */
final class LsCommand extends ShellCommand {
    private static final Options OPTIONS = new Options().flag('?', "help").flag('s', "stat").flag('w', "watch")
            .flag('R', "recurse");

    LsCommand() {
        super("ls", "[-s] [-w] [-R] path", OPTIONS);
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        if (p.has('?')) {
            out(shell).print("usage: ls [options] path" + System.lineSeparator() + OPTIONS.table());
        }
        boolean watch = p.has('w') || OldWatchArgument.watchArgument(p, shell, "ls");
        requireArgs(p, 2);
        String path = pathArgument(p);
        if (p.has('R')) {
            for (String each : Tree.depthFirst(client(shell), path)) {
                out(shell).println(each);
            }
            return;
        }
        Children children;
        if (watch) {
            Session session = shell.session();
            Watched<Children> w = await(Watches.arm(session, ShellWatches.Kind.CHILD, path,
                    client(shell).getChildrenAndWatch(path)));
            children = w.value();
        } else {
            children = await(client(shell).getChildren(path));
        }
        List<String> names = new ArrayList<>(children.names());
        names.sort(null);
        out(shell).append("[").append(String.join(", ", names)).append("]\n");
        if (p.has('s')) {
            StatPrinter.print(out(shell), children.stat());
        }
    }
}
