package io.corral.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A generated section of RESULTS.md between two HTML comments, written by one driver and kept by the others: a
 * driver replaces its own section (or appends it) and leaves the rest of the file as it is; {@link Compare}, which
 * writes the top of the file, keeps everything from the first section on ({@link #keepingSectionsOf}).
 */
final class ReportSection {
    static final ReportSection CLIENT_COMPARE = new ReportSection("client-compare", ClientCompare.class);
    static final ReportSection ENSEMBLE_COMPARE = new ReportSection("ensemble-compare", EnsembleCompare.class);
    static final ReportSection ENSEMBLE_KILLS = new ReportSection("ensemble-kills", EnsembleCompare.class);
    static final ReportSection ENSEMBLE_STOPS = new ReportSection("ensemble-stops", EnsembleCompare.class);
    static final ReportSection RESTART_REPLAY = new ReportSection("restart-replay", RestartReplay.class);
    static final ReportSection TREE_MEMORY = new ReportSection("tree-memory", TreeMemoryReport.class);
    /** Written by hand (profiles of the CPU-per-write runs); kept like the generated ones. */
    static final ReportSection CPU_PROFILE = new ReportSection("cpu-profile", "hand, from async-profiler runs");

    final String begin;
    final String end;

    ReportSection(String name, Class<?> writtenBy) {
        this(name, writtenBy.getName());
    }

    ReportSection(String name, String writtenBy) {
        this.begin = "<!-- " + name + ":begin (written by " + writtenBy + ") -->";
        this.end = "<!-- " + name + ":end -->";
    }

    /** {@code body} between the markers. */
    String wrap(String body) {
        return begin + "\n\n" + body.strip() + "\n\n" + end + "\n";
    }

    /**
     * A driver's last step: writes {@code section} into {@code file} (see {@link #write}), the load tool's raw results
     * to {@code raw}, and prints the section.
     */
    void publish(Path file, String section, LoadToolRun loadTool, Path raw) throws IOException {
        Files.createDirectories(file.getParent());
        write(file, section);
        loadTool.writeRawResults(raw);
        System.out.println(section);
    }

    /** Replaces this section in {@code file} with {@code section} (markers included), or appends it. */
    void write(Path file, String section) throws IOException {
        String text = Files.exists(file) ? Files.readString(file) : "";
        Files.writeString(file, replaceIn(text, section));
    }

    String replaceIn(String text, String section) {
        int b = text.indexOf(begin);
        int e = b < 0 ? -1 : text.indexOf(end, b);
        if (b >= 0 && e > b) {
            int after = e + end.length();
            if (after < text.length() && text.charAt(after) == '\n') {
                after++;
            }
            return text.substring(0, b) + section + text.substring(after);
        }
        return text + gapAfter(text) + section;
    }

    /** What goes after {@code text} so that what follows starts after one blank line (nothing after nothing). */
    private static String gapAfter(String text) {
        return text.isEmpty() || text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n";
    }

    /**
     * {@code top} in place of the part of {@code text} before its first section, and everything from that section on
     * as it was: the other drivers' sections and the hand-written ones between them ({@link Compare} writes only the
     * top of the file). benchmarks/results_top.py finds the first section by the same rule.
     */
    static String keepingSectionsOf(String text, String top) {
        for (int line = 0; line < text.length(); ) {
            int next = text.indexOf('\n', line) + 1;
            next = next == 0 ? text.length() : next;
            if (text.startsWith("<!-- ", line) && text.substring(line, next).contains(":begin")) {
                return top + gapAfter(top) + text.substring(line);
            }
            line = next;
        }
        return top;
    }
}
