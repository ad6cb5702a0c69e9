package io.corral.cli;

import java.util.List;

import io.corral.client.KeeperErrorException;
import io.corral.protocol.ErrorCode;

/** {@code deleteall path [-b batch size]}: deletes a node and its whole subtree, deepest nodes first. */
final class DeleteAllCommand extends ShellCommand {
    private static final Options OPTIONS = new Options().valued('b', "batch size");

    DeleteAllCommand() {
        super("deleteall", "path [-b batch size]", OPTIONS);
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        requireArgs(p, 2);
        if (p.has('b')) {
            parseInt(p.value('b'), "-b argument must be an int value"); // accepted; deletes go one by one
        }
        String path = pathArgument(p);
        List<String> tree = Tree.breadthFirst(client(shell), path);
        boolean failed = false;
        for (int i = tree.size() - 1; i >= 0; i--) {
            try {
                client(shell).delete(tree.get(i), -1).block();
            } catch (KeeperErrorException e) {
                if (!e.is(ErrorCode.NO_NODE)) {
                    failed = true;
                }
            }
        }
        if (failed) {
            err(shell).println("Failed to delete some node(s) in the subtree!");
        }
    }
}
