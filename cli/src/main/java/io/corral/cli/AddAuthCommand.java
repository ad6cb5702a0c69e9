package io.corral.cli;

import java.nio.charset.StandardCharsets;

/** {@code addauth scheme auth}: adds credentials to the session (sent again after every reconnection). */
final class AddAuthCommand extends ShellCommand {
    AddAuthCommand() {
        super("addauth", "scheme auth", new Options());
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        requireArgs(p, 2);
        byte[] auth = p.args().size() >= 3 ? p.arg(2).getBytes(StandardCharsets.UTF_8) : new byte[0];
        await(client(shell).addAuth(p.arg(1), auth));
    }
}
