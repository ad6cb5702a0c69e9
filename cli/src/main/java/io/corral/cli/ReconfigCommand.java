package io.corral.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import io.corral.client.NodeData;

/**
 * {@code reconfig [-s] [-v version] [[-file path] | [-members ...]] | [-add ...]* [-remove ...]}: changes the
 * ensemble's membership as zkCli's reconfig does (ZooKeeperAdmin's reconfigure), with its flags, checks and messages:
 * {@code -v} the hexadecimal version to change from, {@code -add}/{@code -remove} an incremental change,
 * {@code -members} or {@code -file} (a dynamic file's {@code server.N} lines) the whole new membership; the values
 * lower-cased as zkCli does. Prints {@code Committed new configuration:} and the configuration, with {@code -s} its
 * Stat.
 */
final class ReconfigCommand extends ShellCommand {
    private static final String SYNTAX = "[-s] [-v version] [[-file path] | [-members serverID=host:port1:port2;port3"
            + "[,...]*]] | [-add serverId=host:port1:port2;port3[,...]]* [-remove serverId[,...]*]";
    private static final Options OPTIONS = new Options().flag('s', "stats").valued('v', "required current config version")
            .longValued("file").longValued("members").longValued("add").longValued("remove");

    ReconfigCommand() {
        super("reconfig", SYNTAX, OPTIONS);
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        boolean whole = p.has("file") || p.has("members");
        if (!whole && !p.has("add") && !p.has("remove")) {
            throw usage();
        }
        long version = -1;
        if (p.has('v')) {
            try {
                version = Long.parseLong(p.value('v'), 16);
            } catch (NumberFormatException e) {
                throw new CliException("-v must be followed by a long (configuration version)");
            }
        }
        if (whole && (p.has("add") || p.has("remove"))) {
            throw new CliException("Can't use -file or -members together with -add or -remove (mixing incremental"
                    + " and non-incremental modes is not allowed)");
        }
        if (p.has("file") && p.has("members")) {
            throw new CliException("Can't use -file and -members together (conflicting non-incremental modes)");
        }
        String members = p.has("members") ? lower(p.value("members")) : p.has("file") ? fileMembers(p.value("file"))
                : null;
        NodeData answer = await(client(shell).reconfig(lower(p.value("add")), lower(p.value("remove")), members,
                version));
        out(shell).println("Committed new configuration:\n" + new String(answer.data(), StandardCharsets.UTF_8));
        if (p.has('s')) {
            StatPrinter.print(out(shell), answer.stat());
        }
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    /** A dynamic file's server lines as the whole membership (the servers check them again). */
    private static String fileMembers(String file) throws CliException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException | RuntimeException e) {
            throw new CliException("Error processing " + file + e.getMessage());
        }
        List<String> lines = new ArrayList<>();
        for (String key : props.stringPropertyNames()) {
            if (!key.trim().startsWith("server.")) {
                throw new CliException("Error processing " + file + "Unrecognised parameter: " + key.trim());
            }
            lines.add(key.trim() + "=" + props.getProperty(key).trim());
        }
        if (lines.isEmpty()) {
            throw new CliException("Error processing " + file + "No participants in dynamic config");
        }
        return String.join("\n", lines);
    }
}
