package io.corral.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory per znode: {@code io.corral.bench.memory.TreeMemory} run in a fresh JVM per figure, on Corral's tree and
 * on Apache ZooKeeper 3.9.5's DataTree loaded the same way, with the znodes under one parent and spread over
 * 1,000 (and, with {@code --baseline-jar}, on the Corral tree of another build, e.g. the one before a change).
 * Writes its section of benchmarks/RESULTS.md ({@link ReportSection#TREE_MEMORY}; Compare keeps it). Run it
 * through benchmarks/tree-memory.sh. Every JVM it starts is stopped by pid, also on failure.
 */
public final class TreeMemoryReport {
    private static final Pattern GROWN = Pattern.compile("grown: ([\\d,.]+) MB");
    private static final Pattern PER_ZNODE = Pattern.compile("bytes per znode: ([\\d,.]+)");

    private final Path root;
    private final Path out;
    private final Path jar;
    private final String command;
    private final int nodes;
    private final int size;
    private final String xmx;
    private final List<Integer> parents = new ArrayList<>();
    private final Path baselineJar;
    private final String baselineLabel;
    private final ChildProcesses children;
    private final Path work;
    private int runs;

    /** One figure: which tree, which names, the heap it grew by and bytes per znode (null: failed). */
    private record Figure(String tree, String shape, Double grownMb, Double bytesPerZnode, String failure) {
    }

    private TreeMemoryReport(Map<String, String> o) throws IOException {
        root = Path.of(o.getOrDefault("root", ".")).toAbsolutePath().normalize();
        out = root.resolve(o.getOrDefault("out", "benchmarks/RESULTS.md"));
        jar = root.resolve("benchmarks/target/benchmarks.jar");
        command = o.getOrDefault("command", "benchmarks/tree-memory.sh");
        nodes = Integer.parseInt(o.getOrDefault("nodes", "1000000"));
        size = Integer.parseInt(o.getOrDefault("size", "100"));
        xmx = o.getOrDefault("xmx", "2g");
        for (String p : o.getOrDefault("parents", "1,1000").split(",")) {
            parents.add(Integer.parseInt(p.trim()));
        }
        baselineJar = o.containsKey("baseline-jar") ? Path.of(o.get("baseline-jar")).toAbsolutePath() : null;
        baselineLabel = o.getOrDefault("baseline-label", "Corral, baseline build");
        children = new ChildProcesses(o.containsKey("pidfile") ? Path.of(o.get("pidfile")) : null);
        work = WorkDirectory.create("corral-tree-memory-");
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> o = DriverCli.options("tree-memory", args, Set.of("root", "out", "pidfile", "command",
                "nodes", "size", "xmx", "parents", "baseline-jar", "baseline-label"), Set.of());
        TreeMemoryReport r = new TreeMemoryReport(o);
        DriverCli.runThenExit("tree-memory", r.children, r::run);
    }

    private void run() throws Exception {
        String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String loadBefore = RunFacts.loadAverage();
        List<Figure> figures = new ArrayList<>();
        List<List<String>> shapes = new ArrayList<>();
        for (int p : parents) {
            shapes.add(List.of("--parents", "" + p));
        }
        shapes.add(List.of("--parents", "1", "--sequential-names"));
        for (List<String> shape : shapes) {
            if (baselineJar != null && !shape.contains("--sequential-names")) { // an option of later builds
                figures.add(measure(baselineLabel, baselineJar, shape, List.of()));
            }
            figures.add(measure("Corral", jar, shape, List.of()));
            figures.add(measure("Apache ZooKeeper 3.9.5", jar, shape, List.of("--tree", "zookeeper")));
        }
        String loadAfter = RunFacts.loadAverage();
        String section = ReportSection.TREE_MEMORY.wrap(section(started, loadBefore, loadAfter, figures));
        ReportSection.TREE_MEMORY.write(out, section);
        System.out.println(section);
        log("wrote the memory section of " + out);
    }

    private Figure measure(String tree, Path fromJar, List<String> shape, List<String> extra)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ServerLauncher.javaTool("java"), "-Xmx" + xmx, "-cp",
                fromJar.toString(), "io.corral.bench.memory.TreeMemory", "--nodes", "" + nodes, "--size", "" + size));
        cmd.addAll(shape);
        cmd.addAll(extra);
        int underParents = Integer.parseInt(shape.get(shape.indexOf("--parents") + 1));
        String described = String.format(Locale.ROOT, "%,d parent%s, %s", underParents, underParents == 1 ? "" : "s",
                shape.contains("--sequential-names") ? "named `member-0000000042`" : "named `n42`");
        Path errLog = work.resolve("tree-memory-" + (++runs) + ".log");
        ChildProcesses.Output output = children.run(cmd, errLog, TimeUnit.MINUTES.toSeconds(10));
        Double grown = number(GROWN, output.stdout());
        Double perZnode = number(PER_ZNODE, output.stdout());
        String failure = !output.finished() ? "did not finish within 10 minutes, see " + errLog
                : grown == null || perZnode == null ? "no figure in its output (exit " + output.exitValue()
                        + "), see " + errLog : null;
        log(String.format(Locale.ROOT, "%-28s %-40s %s", tree, described,
                failure != null ? failure : String.format(Locale.ROOT, "%,.1f MB, %,.1f B per znode", grown,
                        perZnode)));
        return new Figure(tree, described, grown, perZnode, failure);
    }

    private static Double number(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Double.parseDouble(m.group(1).replace(",", "")) : null;
    }

    private String section(String started, String loadBefore, String loadAfter, List<Figure> figures) {
        StringBuilder s = new StringBuilder();
        s.append("## Memory per znode\n\n");
        s.append("Generated by `").append(TreeMemoryReport.class.getName())
                .append("` (see `benchmarks/README.md`); do not edit by hand, re-run the command.\n\n");
        s.append("- date: ").append(started).append('\n');
        s.append("- command: `").append(command).append("`\n");
        s.append("- commit: ").append(RunFacts.commit(root)).append('\n');
        if (baselineJar != null) {
            s.append("- baseline: `").append(baselineJar).append("` (").append(baselineLabel).append(")\n");
        }
        s.append("- machine: ").append(RunFacts.machine()).append('\n');
        s.append("- JDK: ").append(RunFacts.jdk()).append('\n');
        s.append("- load average before: `").append(loadBefore).append("`, after: `").append(loadAfter).append("`\n");
        s.append(String.format(Locale.ROOT, "- method: `io.corral.bench.memory.TreeMemory`, one fresh JVM "
                + "(`-Xmx%s`) per figure, loads %,d persistent znodes of %d B (each its own byte[], open ACL, named "
                + "as the load tool's bulk workload names them, `/corral-bench/bulk-<run>/n<i>`, or as sequential "
                + "znodes are named, `.../member-%%010d`) into the tree the way its server applies a create; the "
                + "figure is the heap used after full GCs (System.gc() until it stops shrinking, MemoryMXBean) "
                + "after the load minus before it. MB = 2^20 bytes, as the server rows of the results table\n",
                xmx, nodes, size));
        s.append("- the full server's figure is the results table's row \"live heap after that full GC\" "
                + "(`benchmarks/compare.sh`: bulk load of 1,000,000 znodes of 100 B through the client port, then "
                + "`jcmd GC.run` and `jcmd GC.heap_info`); it adds the server's own heap (about 10 MB idle) to the "
                + "tree's");
        String compared = compareCommit();
        if (compared != null && !RunFacts.commit(root).startsWith(compared.split(" ")[0])) {
            s.append("; that table comes from commit ").append(compared)
                    .append(", not this one: re-run `benchmarks/compare.sh` for this build's");
        }
        s.append("\n\n");
        s.append("| tree | znodes under | live heap grown by the znodes (MB) | bytes per znode | "
                + "/ ZooKeeper's |\n");
        s.append("|---|--:|--:|--:|--:|\n");
        for (Figure f : figures) {
            Figure zk = figures.stream().filter(g -> g.shape.equals(f.shape) && g.tree.startsWith("Apache"))
                    .findFirst().orElse(null);
            String ratio = f.failure != null || zk == null || zk.failure != null ? "—"
                    : String.format(Locale.ROOT, "%.2f", f.bytesPerZnode / zk.bytesPerZnode);
            s.append("| ").append(f.tree).append(" | ").append(f.shape).append(" | ").append(f.failure != null ? "failed" : String.format(Locale.ROOT, "%,.1f",
                            f.grownMb))
                    .append(" | ").append(f.failure != null ? "—" : String.format(Locale.ROOT, "%,.1f",
                            f.bytesPerZnode))
                    .append(" | ").append(ratio).append(" |\n");
        }
        s.append('\n');
        for (Figure f : figures) {
            if (f.failure != null) {
                s.append("- ").append(f.tree).append(", ").append(f.shape).append(": ")
                        .append(f.failure).append('\n');
            }
        }
        return s.toString();
    }

    /** The commit line of the comparison RESULTS.md holds (Compare's "Run" list), or null. */
    private String compareCommit() {
        try {
            if (Files.exists(out)) {
                for (String line : Files.readAllLines(out)) {
                    if (line.startsWith("<!-- ")) {
                        return null; // past Compare's part of the file: the other drivers' sections follow it
                    }
                    if (line.startsWith("- commit: ")) {
                        return line.substring("- commit: ".length()).trim();
                    }
                }
            }
        } catch (IOException e) {
            // no note then
        }
        return null;
    }

    private static void log(String text) {
        System.err.println("tree-memory: " + text);
    }
}
