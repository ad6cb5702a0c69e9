package io.corral.cli;

import java.util.List;

import io.corral.client.KeeperErrorException;
import io.corral.protocol.Acl;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.Stat;

/** {@code setAcl [-s] [-v version] [-R] path acl}: replaces the ACL of a node, or of its whole subtree with -R. */
final class SetAclCommand extends ShellCommand {
    private static final Options OPTIONS = new Options().flag('s', "stats").valued('v', "version")
            .flag('R', "recursive");

    SetAclCommand() {
        super("setAcl", "[-s] [-v version] [-R] path acl", OPTIONS);
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        requireArgs(p, 3);
        String path = p.arg(1);
        List<Acl> acl = AclText.parse(p.arg(2), err(shell));
        int version = version(p.value('v'));
        validPath(path);
        if (acl.isEmpty()) { // refused before sending, as ZooKeeper's client does
            throw new CliException(KeeperMessages.describe(ErrorCode.INVALID_ACL, null));
        }
        if (p.has('R')) {
            for (String each : Tree.depthFirst(client(shell), path)) {
                try {
                    client(shell).setACL(each, acl, version).block();
                } catch (KeeperErrorException e) { // reported without a line break, as zkCli does
                    out(shell).print(KeeperMessages.keeperMessage(e.code(), e.path()));
                }
            }
            return;
        }
        Stat stat = await(client(shell).setACL(path, acl, version));
        if (p.has('s')) {
            StatPrinter.print(out(shell), stat);
        }
    }
}
