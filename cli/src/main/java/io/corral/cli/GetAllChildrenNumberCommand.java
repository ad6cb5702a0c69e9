package io.corral.cli;

/** {@code getAllChildrenNumber path}: how many descendants the node has, at any depth. */
final class GetAllChildrenNumberCommand extends ShellCommand {
    GetAllChildrenNumberCommand() {
        super("getAllChildrenNumber", "path", new Options());
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        if (p.args().size() < 2) {
            throw usage();
        }
        String path = p.arg(1);
        validPath(path);
        out(shell).println(await(client(shell).getAllChildrenNumber(path)).intValue());
    }
}
