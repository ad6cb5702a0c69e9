package io.corral.cli;

/**
 * {@code version}: the shell's version, in zkCli's form ({@code ZooKeeper CLI version: ...}) with Corral's name and
 * the version of the jar it runs from ("unknown" when it runs from classes, as in tests).
 */
final class VersionCommand extends ShellCommand {
    VersionCommand() {
        super("version", "", new Options());
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        if (p.args().size() > 1) {
            throw usage();
        }
        out(shell).println("Corral CLI version: " + version());
    }

    static String version() {
        String version = VersionCommand.class.getPackage().getImplementationVersion();
        return version == null ? "unknown" : version;
    }
}
