package io.corral.cli;

import io.corral.client.KeeperErrorException;
import io.corral.protocol.QuotaStats;

/** {@code delquota [-n|-b|-N|-B] path}: removes the quota of path, or only the figure an option names. */
final class DelQuotaCommand extends ShellCommand {
    DelQuotaCommand() {
        super("delquota", "[-n|-b|-N|-B] path", QuotaOptions.options(false));
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        Character option = QuotaOptions.selected(p, false);
        requireArgs(p, 2);
        String path = p.arg(1);
        QuotaStats figures = option == null ? null : new QuotaStats().set(QuotaOptions.figure(option), 1);
        try {
            QuotaNodes.delete(client(shell), path, figures, out(shell));
        } catch (KeeperErrorException noQuota) {
            err(shell).println("quota for " + path + " does not exist.");
        }
    }
}
