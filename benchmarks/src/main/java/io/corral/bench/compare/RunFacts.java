package io.corral.bench.compare;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What a report says about the run's conditions: machine, JDK, commit, disk sync cost, load average. */
final class RunFacts {
    private RunFacts() {
    }

    /** "2 cores (AMD EPYC), 24684096 kB memory, Linux 6.1" */
    static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores (" + grep(Path.of("/proc/cpuinfo"), "model name")
                + "), " + grep(Path.of("/proc/meminfo"), "MemTotal") + " memory, Linux "
                + System.getProperty("os.version");
    }

    static String jdk() {
        return System.getProperty("java.vm.name") + ' ' + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vm.vendor") + ")";
    }

    /** The short commit of {@code root}, with "(with local changes)" when tracked files differ from it. */
    static String commit(Path root) {
        String dirty = git(root, "status", "--porcelain", "--untracked-files=no").isEmpty() ? ""
                : " (with local changes)";
        return git(root, "rev-parse", "--short", "HEAD") + dirty;
    }

    /** /proc/loadavg's line, or "?". */
    static String loadAverage() {
        return readFirstLine(Path.of("/proc/loadavg"));
    }

    /** The 1-minute figure of a /proc/loadavg line, 0 when unreadable. */
    static double oneMinute(String loadavg) {
        try {
            return Double.parseDouble(loadavg.split("\\s+")[0]);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** fdatasync cost of the disk under {@code dir}: 4 KiB appends, each forced. */
    static Map<String, Object> fsyncProbe(Path dir) throws IOException {
        Path file = dir.resolve("fsync-probe");
        List<Long> micros = new ArrayList<>();
        ByteBuffer block = ByteBuffer.allocate(4096);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            for (int i = 0; i < 200 && System.nanoTime() < end; i++) {
                block.clear();
                ch.write(block);
                long t0 = System.nanoTime();
                ch.force(false);
                micros.add((System.nanoTime() - t0) / 1_000);
            }
        } finally {
            Files.deleteIfExists(file);
        }
        Collections.sort(micros);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("count", micros.size());
        r.put("medianUs", (double) micros.get(micros.size() / 2));
        r.put("p99Us", (double) micros.get(Math.min(micros.size() - 1, (int) Math.ceil(micros.size() * 0.99) - 1)));
        return r;
    }

    /** "median 237 µs, p99 678 µs (200 samples)" */
    static String fsyncSummary(Map<String, Object> probe) {
        return String.format(Locale.ROOT, "median %.0f µs, p99 %.0f µs (%d samples)", probe.get("medianUs"),
                probe.get("p99Us"), probe.get("count"));
    }

    static String readFirstLine(Path p) {
        try {
            List<String> lines = Files.readAllLines(p);
            return lines.isEmpty() ? "?" : lines.get(0).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static String grep(Path p, String prefix) {
        try {
            for (String line : Files.readAllLines(p)) {
                if (line.startsWith(prefix)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "?";
    }

    private static String git(Path root, String... args) {
        try {
            List<String> cmd = new ArrayList<>(List.of("git", "-C", root.toString()));
            cmd.addAll(Arrays.asList(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return s;
        } catch (Exception e) {
            return "?";
        }
    }

    /**
     * The report lines every driver opens with: date, command, commit, machine, JDK, disk (the fsync probe in
     * {@code work}), load average before and after.
     */
    static String runLines(String started, String command, Path root, Path work, Map<String, Object> fsync,
                           String loadBefore, String loadAfter) {
        return "- date: " + started + '\n'
                + "- command: `" + command + "`\n"
                + "- commit: " + commit(root) + '\n'
                + "- machine: " + machine() + '\n'
                + "- JDK: " + jdk() + '\n'
                + "- disk: fdatasync of a 4 KiB append in the servers' data directory (" + work + "): "
                + fsyncSummary(fsync) + '\n'
                + "- load average (1/5/15 min, running/total, last pid) before: `" + loadBefore + "`, after: `"
                + loadAfter + "`\n";
    }

    /** A warning line when the 1-minute load average passed half the cores, before or after the run; else "". */
    static String busyWarning(String loadBefore, String loadAfter) {
        double busiest = Math.max(oneMinute(loadBefore), oneMinute(loadAfter));
        int cores = Runtime.getRuntime().availableProcessors();
        if (busiest <= 0.5 * cores) {
            return "";
        }
        return String.format(Locale.ROOT, "- **the machine was busy** (1-minute load average up to %.1f on %d "
                + "cores, other work included): treat these figures as provisional and re-run the same command "
                + "on a quiet machine%n", busiest, cores);
    }
}
