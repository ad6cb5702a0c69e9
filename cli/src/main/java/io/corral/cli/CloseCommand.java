package io.corral.cli;

/** {@code close}: closes the session; the shell stays, {@code connect} opens a new one. */
final class CloseCommand extends ShellCommand {
    CloseCommand() {
        super("close", "", new Options());
    }

    @Override
    void run(Options.Parsed p, Shell shell) {
        shell.closeSession();
    }
}
