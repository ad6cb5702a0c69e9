package io.corral.cli;

/** {@code getAllChildrenNumber path}: how many descendants the node has, at any depth. */
final class GetAllChildrenNumberCommand extends ShellCommand {
    GetAllChildrenNumberCommand() {
        super("getAllChildrenNumber", "path", new Options());
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        requireArgs(p, 2);
        String path = pathArgument(p);
        out(shell).println(await(client(shell).getAllChildrenNumber(path)).intValue());
    }
}
