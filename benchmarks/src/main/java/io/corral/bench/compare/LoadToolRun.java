package io.corral.bench.compare;

import io.corral.bench.load.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run of the load tool ({@code io.corral.bench.load.LoadTool}) in its own JVM, bounded in time: its JSON
 * result, or why there is none. Its stderr (progress, errors) goes to a log file.
 */
final class LoadToolRun {
    /** The parsed result and its JSON line, or a failure saying why there is none. */
    record Outcome(Map<String, Object> result, String json, String failure) {
        boolean ok() {
            return result != null;
        }

        /** A number from the result (e.g. "throughput"), or null. */
        Double number(String key) {
            return result != null && result.get(key) instanceof Double d ? d : null;
        }

        /** A latency percentile of the result ("p50", "p99", "p999", ...) in milliseconds, or null. */
        Double latencyMs(String key) {
            if (result == null || !(result.get("latencyUs") instanceof Map<?, ?> lat)) {
                return null;
            }
            return lat.get(key) instanceof Double d ? d / 1e3 : null;
        }

        /** The number of failed requests the run reports (0 when none). */
        long errors() {
            Double d = number("errors");
            return d == null ? 0 : d.longValue();
        }

        /** What a report should note about this run: why it failed, or how many requests failed; null if neither. */
        String problem() {
            if (!ok()) {
                return failure;
            }
            return errors() > 0 ? errors() + " requests failed (first error code " + result.get("firstErrorCode") + ")"
                    : null;
        }
    }

    private final Path benchJar;
    private final ChildProcesses children;
    /** The JSON line of every successful run, in order. */
    private final List<String> rawResults = new ArrayList<>();

    LoadToolRun(Path benchJar, ChildProcesses children) {
        this.benchJar = benchJar;
        this.children = children;
    }

    /** Runs the load tool with {@code args}; kills it (by pid) when it takes longer than {@code limitSeconds}. */
    Outcome run(List<String> args, Path errLog, long limitSeconds) throws IOException, InterruptedException {
        return run(List.of(), args, errLog, limitSeconds);
    }

    /** The same with {@code jvmArgs} (system properties, say) on the load tool's JVM. */
    Outcome run(List<String> jvmArgs, List<String> args, Path errLog, long limitSeconds)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ServerLauncher.javaTool("java"), "-Xmx1g"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", benchJar.toString(), "io.corral.bench.load.LoadTool"));
        cmd.addAll(args);
        ChildProcesses.Output output = children.run(cmd, errLog, limitSeconds);
        if (!output.finished()) {
            return new Outcome(null, null, "load tool killed after " + limitSeconds + " s, see " + errLog);
        }
        String json = null;
        for (String line : output.stdout().split("\n")) {
            if (line.startsWith("{")) {
                json = line;
            }
        }
        if (output.exitValue() != 0 || json == null) {
            return new Outcome(null, null, "load tool failed (exit " + output.exitValue() + "), see " + errLog);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) Json.parse(json);
        rawResults.add(json);
        return new Outcome(result, json, null);
    }

    /** Writes the JSON line of every successful run so far to {@code file} (JSON Lines). */
    void writeRawResults(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, rawResults);
    }
}
