package io.corral.server.tools;

import io.corral.log.CloseableIterator;
import io.corral.log.LogCorruptedException;
import io.corral.log.LogEntry;
import io.corral.log.LogInspector;
import io.corral.log.LogOptions;
import io.corral.log.SnapshotFile;
import io.corral.log.TxnLog;

import io.corral.server.config.DataDirectories;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/corral-log}: looks into a stopped server's txn log, as ZooKeeper's {@code zkTxnLogToolkit.sh} does into
 * its own. DIR is the server's dataLogDir (or dataDir when they are one), or the {@code txnlog} directory itself.
 * <pre>
 * corral-log dump [--from ZXID] [--limit N] DIR   one line per txn after ZXID (hex, 0x optional)
 * corral-log verify DIR                           every entry's checksum, the order of the zxids, a torn tail
 * corral-log truncate --zxid ZXID [--yes] DIR     drops every txn after ZXID, after a confirmation
 * </pre>
 * dump and verify open the log read-only; every command refuses a log that a running server holds.
 */
public final class LogCommand {
    static final String USAGE = """
            usage: corral-log dump [--from ZXID] [--limit N] DIR
                   corral-log verify DIR
                   corral-log truncate --zxid ZXID [--yes] DIR
            DIR: the server's dataLogDir (or dataDir), or its txnlog directory; ZXID in hex""";

    private LogCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** Returns the exit status: 0 done, 1 failed or not confirmed, 2 bad arguments. */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        Arguments a;
        try {
            a = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("corral-log: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        Path dir = logDir(a.dir);
        try {
            return switch (a.command) {
                case "dump" -> dump(dir, a.from, a.limit, out);
                case "verify" -> verify(dir, out);
                default -> truncate(dir, a.zxid, a.yes, in, out);
            };
        } catch (LogCorruptedException | IllegalStateException | IOException e) {
            err.println("corral-log: " + e.getMessage());
            return 1;
        }
    }

    private static Path logDir(Path dir) {
        Path inside = dir.resolve(DataDirectories.TXN_LOG);
        return Files.isDirectory(inside) ? inside : dir;
    }

    private static int dump(Path dir, long from, long limit, PrintStream out) {
        try (LogInspector log = LogInspector.open(dir); CloseableIterator<LogEntry> entries = log.readFrom(from)) {
            out.println("Txn log " + dir + ": zxids 0x" + Long.toHexString(log.firstZxid()) + "..0x"
                    + Long.toHexString(log.lastZxid()) + " in " + log.files().size() + " file(s)");
            long count = 0;
            while (count < limit && entries.hasNext()) {
                out.println(TxnText.of(entries.next()));
                count++;
            }
            out.println(count + " txn(s) shown");
            if (log.tornTail() != null) {
                out.println("Torn tail: " + log.tornTail() + "; the server drops it when it starts");
            }
            if (log.journalTail() != null) {
                out.println("Journal: " + log.journalTail() + "; the server appends them to the log when it starts");
            }
            return 0;
        }
    }

    private static int verify(Path dir, PrintStream out) {
        try (LogInspector log = LogInspector.open(dir)) {
            long count = countAfter(log, 0);
            out.println("Txn log " + dir + ": valid, " + count + " txn(s), zxids 0x" + Long.toHexString(log.firstZxid())
                    + "..0x" + Long.toHexString(log.lastZxid()) + " in " + log.files().size() + " file(s)");
            if (log.tornTail() != null) {
                out.println("Torn tail: " + log.tornTail() + " (a crash mid-append); the server drops it when it "
                        + "starts, losing no acknowledged write");
            }
            if (log.journalTail() != null) {
                out.println("Journal: " + log.journalTail() + "; the server appends them to the log when it starts");
            }
            return 0;
        }
    }

    private static long countAfter(LogInspector log, long zxid) {
        long count = 0;
        try (CloseableIterator<LogEntry> entries = log.readFrom(zxid)) {
            while (entries.hasNext()) {
                entries.next();
                count++;
            }
        }
        return count;
    }

    private static int truncate(Path dir, long zxid, boolean yes, InputStream in, PrintStream out) throws IOException {
        long dropped;
        long last;
        try (LogInspector log = LogInspector.open(dir)) {
            dropped = countAfter(log, zxid);
            last = log.lastZxid();
        }
        if (dropped == 0) {
            out.println("Nothing to truncate: the log ends at 0x" + Long.toHexString(last));
            return 0;
        }
        List<Path> newer = snapshotsAfter(dir.toAbsolutePath().getParent().resolve(DataDirectories.SNAPSHOTS), zxid);
        if (!newer.isEmpty()) {
            throw new IOException("snapshots hold state after 0x" + Long.toHexString(zxid) + " and would bring the "
                    + "dropped txns back: " + newer + "; move them away first");
        }
        out.println("This drops " + dropped + " txn(s), zxids 0x" + Long.toHexString(zxid + 1) + "..0x"
                + Long.toHexString(last) + ", from the txn log " + dir + ".");
        if (!yes) {
            out.print("Type 'yes' to truncate: ");
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            if (!"yes".equals(answer == null ? null : answer.trim())) {
                out.println("Not truncated.");
                return 1;
            }
        }
        try (TxnLog log = TxnLog.open(dir, LogOptions.defaults())) {
            log.truncateAfter(zxid);
            out.println("Truncated: the log now ends at 0x" + Long.toHexString(log.lastZxid()));
        }
        return 0;
    }

    private static List<Path> snapshotsAfter(Path snapshotDir, long zxid) {
        List<Path> newer = new ArrayList<>();
        for (Path p : SnapshotFile.list(snapshotDir)) {
            if (Long.compareUnsigned(SnapshotFile.zxidOf(p), zxid) > 0) {
                newer.add(p);
            }
        }
        return newer;
    }

    /** The command line, checked. */
    private record Arguments(String command, Path dir, long from, long limit, long zxid, boolean yes) {
        static Arguments parse(String[] args) {
            if (args.length == 0) {
                throw new IllegalArgumentException("no command");
            }
            String command = args[0];
            if (!List.of("dump", "verify", "truncate").contains(command)) {
                throw new IllegalArgumentException("unknown command " + command);
            }
            Path dir = null;
            long from = 0;
            long limit = Long.MAX_VALUE;
            long zxid = -1;
            boolean yes = false;
            for (int i = 1; i < args.length; i++) {
                String arg = args[i];
                boolean hasValue = i + 1 < args.length;
                if (arg.equals("--from") && command.equals("dump") && hasValue) {
                    from = hex(args[++i]);
                } else if (arg.equals("--limit") && command.equals("dump") && hasValue) {
                    limit = Long.parseLong(args[++i]);
                } else if (arg.equals("--zxid") && command.equals("truncate") && hasValue) {
                    zxid = hex(args[++i]);
                } else if (arg.equals("--yes") && command.equals("truncate")) {
                    yes = true;
                } else if (!arg.startsWith("-") && dir == null) {
                    dir = Path.of(arg);
                } else {
                    throw new IllegalArgumentException("unexpected argument " + arg + " for " + command);
                }
            }
            if (dir == null) {
                throw new IllegalArgumentException("no directory");
            }
            if (command.equals("truncate") && zxid < 0) {
                throw new IllegalArgumentException("truncate needs --zxid");
            }
            return new Arguments(command, dir, from, limit, zxid, yes);
        }

        private static long hex(String value) {
            try {
                return Long.parseUnsignedLong(value.startsWith("0x") ? value.substring(2) : value, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a hex zxid: " + value);
            }
        }
    }
}
