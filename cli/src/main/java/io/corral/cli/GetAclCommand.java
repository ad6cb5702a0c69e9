package io.corral.cli;

import io.corral.client.NodeAcl;

/** {@code getAcl [-s] path}: the node's ACL, optionally its Stat. */
final class GetAclCommand extends ShellCommand {
    private static final Options OPTIONS = new Options().flag('s', "stats");

    GetAclCommand() {
        super("getAcl", "[-s] path", OPTIONS);
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        requireArgs(p, 2);
        String path = pathArgument(p);
        NodeAcl acl = await(client(shell).getACL(path));
        AclText.print(out(shell), acl.acl());
        if (p.has('s')) {
            StatPrinter.print(out(shell), acl.stat());
        }
    }
}
