package io.corral.cli;

/** {@code delete [-v version] path}: deletes a node without children, optionally only at a version. */
final class DeleteCommand extends ShellCommand {
    private static final Options OPTIONS = new Options().valued('v', "version");

    DeleteCommand() {
        super("delete", "[-v version] path", OPTIONS);
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        requireArgs(p, 2);
        String versionText = p.value('v');
        if (p.args().size() > 2) { // the old form: delete path version
            err(shell).println("'delete path [version]' has been deprecated. Please use 'delete [-v version] path' "
                    + "instead.");
            versionText = p.arg(2);
        }
        int version = version(versionText);
        String path = pathArgument(p);
        await(client(shell).delete(path, version));
    }
}
