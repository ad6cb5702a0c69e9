package io.corral.cli;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

import io.corral.client.NodeData;

/**
 * {@code config [-c] [-w] [-s]}: the ensemble's configuration ({@code /zookeeper/config}, whatever the chroot) as
 * zkCli prints it; {@code -c} only the version and the client addresses, {@code -s} the Stat too, {@code -w} a watch.
 */
final class ConfigCommand extends ShellCommand {
    private static final String CONFIG_NODE = "/zookeeper/config";
    private static final Options OPTIONS = new Options().flag('s', "stats").flag('w', "watch")
            .flag('c', "client connection string");

    ConfigCommand() {
        super("config", "[-c] [-w] [-s]", OPTIONS);
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        NodeData node = p.has('w')
                ? await(Watches.arm(shell.session(), ShellWatches.Kind.DATA, CONFIG_NODE,
                        client(shell).getConfigAndWatch())).value()
                : await(client(shell).getConfig());
        String text = node.data() == null ? "null" : new String(node.data(), StandardCharsets.UTF_8);
        out(shell).println(p.has('c') ? clientConfig(text) : text);
        if (p.has('s')) {
            StatPrinter.print(out(shell), node.stat());
        }
    }

    /**
     * {@code version host:port,host:port...}, the client addresses of the {@code server.N} lines, as zkCli's
     * {@code config -c} prints them: in the order the lines come out of a {@link Properties}, a line without a client
     * part leaving an empty place between its commas.
     */
    static String clientConfig(String config) {
        Properties props = new Properties();
        try {
            props.load(new StringReader(config));
        } catch (IOException e) {
            throw new AssertionError("a StringReader does not fail", e);
        }
        StringBuilder clients = new StringBuilder();
        String version = "";
        boolean first = true;
        for (Map.Entry<Object, Object> entry : props.entrySet()) {
            String key = entry.getKey().toString().trim();
            String value = entry.getValue().toString().trim();
            if (key.equals("version")) {
                version = value;
            }
            if (!key.startsWith("server.")) {
                continue;
            }
            clients.append(first ? "" : ",");
            first = false;
            int semicolon = value.indexOf(';');
            if (semicolon >= 0) {
                clients.append(clientAddress(value.substring(semicolon + 1).trim()));
            }
        }
        return version + " " + clients;
    }

    /** {@code [host:]port} as {@code host:port}, an IPv6 host without its brackets, the wildcard when none is given. */
    private static String clientAddress(String part) {
        int colon = part.lastIndexOf(':');
        String host = colon < 0 ? "0.0.0.0" : part.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host + ":" + part.substring(colon + 1);
    }
}
