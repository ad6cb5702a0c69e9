package io.corral.cli;

import io.corral.protocol.ClientInfo;

/** {@code whoami}: the identities the server associates with this session. */
final class WhoAmICommand extends ShellCommand {
    WhoAmICommand() {
        super("whoami", "", new Options());
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        var identities = await(client(shell).whoAmI());
        out(shell).println("Auth scheme: User");
        for (ClientInfo info : identities) {
            out(shell).println(info.authScheme() + ": " + info.user());
        }
    }
}
