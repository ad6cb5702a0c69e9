package io.corral.cli;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.corral.client.NodeData;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** {@code get [-s] [-w] [-b] [-x] path}: the data as text (or base64, or a hex dump), optionally the Stat. */
final class GetCommand extends ShellCommand {
    private static final Options OPTIONS = new Options().flag('s', "Print znode stats additionally")
            .flag('w', "Watch for changes on the znode").flag('b', "Output data in base64 format")
            .flag('x', "Output data in hexdump format");

    GetCommand() {
        super("get", "[-s] [-w] [-b] [-x] path", OPTIONS, true);
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        requireArgs(p, 2);
        boolean watch = p.has('w') || OldWatchArgument.watchArgument(p, shell, "get");
        String path = pathArgument(p);
        NodeData node = watch
                ? await(Watches.arm(shell.session(), ShellWatches.Kind.DATA, path,
                        client(shell).getDataAndWatch(path))).value()
                : await(client(shell).getData(path));
        byte[] data = node.data() == null ? "null".getBytes(StandardCharsets.UTF_8) : node.data();
        String text;
        if (p.has('b')) {
            text = Base64.getEncoder().encodeToString(data);
        } else if (p.has('x')) {
            text = ByteBufUtil.prettyHexDump(Unpooled.wrappedBuffer(data));
        } else {
            text = new String(data, StandardCharsets.UTF_8);
        }
        out(shell).println(text);
        if (p.has('s')) {
            StatPrinter.print(out(shell), node.stat());
        }
    }
}
