package io.corral.cli;

import io.corral.protocol.QuotaStats;

/** {@code setquota -n|-b|-N|-B val path}: sets a soft or hard count or bytes quota on path (zkCli's checks). */
final class SetQuotaCommand extends ShellCommand {
    SetQuotaCommand() {
        super("setquota", "-n|-b|-N|-B val path", QuotaOptions.options(true));
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        char option = QuotaOptions.selected(p, true);
        requireArgs(p, 2);
        String path = p.arg(1);
        if (path.startsWith(QuotaStats.QUOTA_ROOT)) {
            err(shell).println("cannot set a quota under the path: " + QuotaStats.QUOTA_ROOT);
            return;
        }
        QuotaStats quota = new QuotaStats().set(QuotaStats.COUNT, -1).set(QuotaStats.BYTES, -1)
                .set(QuotaStats.COUNT_HARD_LIMIT, -1).set(QuotaStats.BYTE_HARD_LIMIT, -1);
        long value;
        try {
            value = QuotaOptions.isCount(option) ? Integer.parseInt(p.value(option)) : Long.parseLong(p.value(option));
        } catch (NumberFormatException e) {
            err(shell).println("NumberFormatException happens when parsing the option value");
            return;
        }
        if (QuotaOptions.isCount(option) && value <= 0) {
            err(shell).println("the num quota must be greater than zero");
            return;
        }
        if (!QuotaOptions.isCount(option) && value < 0) {
            err(shell).println("the bytes quota must be greater than or equal to zero");
            return;
        }
        quota.set(QuotaOptions.figure(option), value);
        QuotaNodes.create(client(shell), path, quota, out(shell));
    }
}
