package io.corral.server.tools;

import io.corral.log.SnapshotFile;
import io.corral.server.config.DataDirectories;
import io.corral.server.snapshot.LoadedSnapshot;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/corral-snapshot}: looks into Corral's snapshots offline, as ZooKeeper's {@code zkSnapShotToolkit.sh}
 * does into its own. A snapshot is named by its file, or by a data directory (its newest snapshot).
 * <pre>
 * corral-snapshot dump [-d | --json] SNAPSHOT   the nodes (Stat; -d adds data and ACL), the sessions, the last zxid
 * corral-snapshot verify SNAPSHOT               checks the file's checksum and every frame; reads every node
 * corral-snapshot diff SNAPSHOT SNAPSHOT        the nodes and sessions that differ (exit status 1 when any do)
 * </pre>
 */
public final class SnapshotCommand {
    static final String USAGE = """
            usage: corral-snapshot dump [-d | --json] SNAPSHOT
                   corral-snapshot verify SNAPSHOT
                   corral-snapshot diff SNAPSHOT SNAPSHOT
            SNAPSHOT: a snapshot file, or a data directory (its newest snapshot)""";

    private SnapshotCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Returns the exit status: 0 done (diff: the same), 1 failed (diff: they differ), 2 bad arguments. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> options = new ArrayList<>();
        List<String> operands = new ArrayList<>();
        for (String arg : args) {
            (arg.startsWith("-") ? options : operands).add(arg);
        }
        if (operands.isEmpty() || options.contains("-h") || options.contains("--help")) {
            (operands.isEmpty() ? err : out).println(USAGE);
            return operands.isEmpty() ? 2 : 0;
        }
        String command = operands.remove(0);
        int expected = command.equals("diff") ? 2 : 1;
        boolean optionsFit = command.equals("dump") ? List.of("-d", "--json").containsAll(options)
                && options.size() <= 1 : options.isEmpty();
        if (!List.of("dump", "verify", "diff").contains(command) || operands.size() != expected || !optionsFit) {
            err.println(USAGE);
            return 2;
        }
        try {
            LoadedSnapshot first = LoadedSnapshot.loadFile(snapshotFile(Path.of(operands.get(0))));
            switch (command) {
                case "dump" -> {
                    if (options.contains("--json")) {
                        SnapshotJson.write(first, out);
                    } else {
                        SnapshotText.print(first, options.contains("-d"), out);
                    }
                    return 0;
                }
                case "verify" -> {
                    out.println(first.file() + ": valid (zxid 0x" + Long.toHexString(first.zxid()) + ", "
                            + first.tree().nodeCount() + " nodes, " + first.sessions().size() + " sessions)");
                    return 0;
                }
                default -> {
                    LoadedSnapshot second = LoadedSnapshot.loadFile(snapshotFile(Path.of(operands.get(1))));
                    return SnapshotDiff.print(first, second, out) == 0 ? 0 : 1;
                }
            }
        } catch (IOException | RuntimeException e) {
            err.println("corral-snapshot: " + e.getMessage());
            return command.equals("diff") ? 2 : 1;
        }
    }

    /** The file itself, or the newest snapshot of a data directory (DIR/snapshots) or of a snapshot directory. */
    static Path snapshotFile(Path path) throws IOException {
        if (Files.isRegularFile(path)) {
            return path;
        }
        if (!Files.isDirectory(path)) {
            throw new IOException("no such snapshot file or data directory: " + path);
        }
        Path inside = path.resolve(DataDirectories.SNAPSHOTS);
        Path dir = Files.isDirectory(inside) ? inside : path;
        List<Path> snapshots = SnapshotFile.list(dir);
        if (snapshots.isEmpty()) {
            throw new IOException("no snapshot in " + dir);
        }
        return snapshots.get(0);
    }
}
