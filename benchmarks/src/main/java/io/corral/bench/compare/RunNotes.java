package io.corral.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** What went wrong in a driver run (a failed load-tool run, failed requests, a skipped kill), for its report. */
final class RunNotes {
    private final List<String> lines = new ArrayList<>();
    private final Consumer<String> log;

    RunNotes(Consumer<String> log) {
        this.log = log;
    }

    /** "round 2, Corral: set: ..." in the report and, at once, in the log. */
    void add(String side, int round, String text) {
        String line = "round " + round + ", " + side + ": " + text;
        lines.add(line);
        log.accept("  NOTE " + line);
    }

    /** One Markdown list item per note. */
    void appendTo(StringBuilder md) {
        for (String n : lines) {
            md.append("- ").append(n).append('\n');
        }
    }
}
