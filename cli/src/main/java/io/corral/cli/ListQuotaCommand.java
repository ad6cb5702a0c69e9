package io.corral.cli;

import java.util.List;

import io.corral.client.KeeperErrorException;
import io.corral.protocol.QuotaStats;

/** {@code listquota path}: the quota of path and the server's stats of it, as zkCli prints them. */
final class ListQuotaCommand extends ShellCommand {
    ListQuotaCommand() {
        super("listquota", "path", new Options());
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        requireArgs(p, 2);
        String path = p.arg(1);
        err(shell).println("absolute path is " + QuotaStats.limitPath(path));
        List<QuotaStats> figures;
        try {
            figures = QuotaNodes.list(client(shell), path);
        } catch (KeeperErrorException noQuota) {
            err(shell).println("quota for " + path + " does not exist.");
            return;
        }
        out(shell).println("Output quota for " + path + " " + figures.get(0));
        out(shell).println("Output stat for " + path + " " + figures.get(1));
    }
}
