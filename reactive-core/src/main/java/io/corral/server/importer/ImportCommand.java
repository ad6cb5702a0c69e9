package io.corral.server.importer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code bin/corral-import --zookeeper-data DIR [--zookeeper-log DIR] --to DATADIR}: imports a stopped ZooKeeper's
 * data directory (its zoo.cfg's dataDir and dataLogDir; the log directory defaults to the data directory, as in
 * zoo.cfg) into a new Corral data directory.
 */
public final class ImportCommand {
    static final String USAGE = "usage: corral-import --zookeeper-data DIR [--zookeeper-log DIR] --to DATADIR";

    private ImportCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the import; returns the exit status (0 done, 1 failed, 2 bad arguments). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path data = null;
        Path log = null;
        Path to = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--zookeeper-data" -> data = value == null ? null : Path.of(value);
                case "--zookeeper-log" -> log = value == null ? null : Path.of(value);
                case "--to" -> to = value == null ? null : Path.of(value);
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    err.println("corral-import: unknown argument " + args[i]);
                    err.println(USAGE);
                    return 2;
                }
            }
            i++;
        }
        if (data == null || to == null) {
            err.println(USAGE);
            return 2;
        }
        try {
            ImportReport report = ZooKeeperImporter.run(data, log == null ? data : log, to);
            report.print(out);
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("corral-import: " + e.getMessage());
            err.println("corral-import: nothing was written to " + to);
            return 1;
        }
    }
}
