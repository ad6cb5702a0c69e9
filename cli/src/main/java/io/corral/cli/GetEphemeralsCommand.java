package io.corral.cli;

/** {@code getEphemerals path}: this session's ephemeral nodes whose path starts with the given prefix. */
final class GetEphemeralsCommand extends ShellCommand {
    GetEphemeralsCommand() {
        super("getEphemerals", "path", new Options());
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        if (p.args().size() > 1) {
            String prefix = p.arg(1);
            validPath(prefix);
            out(shell).println(await(client(shell).getEphemerals(prefix)));
        } else {
            out(shell).println(await(client(shell).getEphemerals()));
        }
    }
}
