package io.corral.bench.compare;

import io.corral.bench.load.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
        List<String> cmd = new ArrayList<>(List.of(ServerLauncher.javaTool("java"), "-Xmx1g", "-cp",
                benchJar.toString(), "io.corral.bench.load.LoadTool"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(errLog.toFile()).start();
        children.track(p);
        StringBuilder stdout = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                synchronized (stdout) {
                    stdout.append(text);
                }
            } catch (IOException e) {
                // the process was killed
            }
        }, "load-tool-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(limitSeconds, TimeUnit.SECONDS)) {
                return new Outcome(null, null, "load tool killed after " + limitSeconds + " s, see " + errLog);
            }
            reader.join(5_000);
        } finally {
            children.stop(p);
        }
        String json = null;
        synchronized (stdout) {
            for (String line : stdout.toString().split("\n")) {
                if (line.startsWith("{")) {
                    json = line;
                }
            }
        }
        if (p.exitValue() != 0 || json == null) {
            return new Outcome(null, null, "load tool failed (exit " + p.exitValue() + "), see " + errLog);
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
