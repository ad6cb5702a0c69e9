package io.corral.cli;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.corral.protocol.Stat;

/** {@code set path data [-s] [-v version] [-b]}: replaces the data, optionally only at a version. */
final class SetCommand extends ShellCommand {
    private static final Options OPTIONS = new Options().flag('s', "Print znode stats additionally")
            .valued('v', "Set with an expected version").flag('b', "Supply data in base64 format");

    SetCommand() {
        super("set", "path data [-s] [-v version] [-b]", OPTIONS, true);
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        requireArgs(p, 3);
        String path = p.arg(1);
        byte[] data;
        if (p.has('b')) {
            try {
                data = Base64.getDecoder().decode(p.arg(2));
            } catch (IllegalArgumentException e) {
                throw new CliException("-b data is not valid base64: " + e.getMessage());
            }
        } else {
            data = p.arg(2).getBytes(StandardCharsets.UTF_8);
        }
        int version = version(p.value('v'));
        validPath(path);
        Stat stat = await(client(shell).setData(path, data, version));
        if (p.has('s')) {
            StatPrinter.print(out(shell), stat);
        }
    }
}
