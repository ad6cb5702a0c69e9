package io.corral.bench.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU time and context switches of a server process on this machine (Linux /proc), sampled at the start and
 * the end of the load tool's measured window ({@code --server-pid}): server CPU per request, context switches per
 * request, and which of its threads the CPU went to.
 *
 * <p>CPU comes from {@code /proc/PID/stat} (utime + stime of every thread, also of threads that ended, in clock
 * ticks of 10 ms); context switches and the per-thread split from {@code /proc/PID/task/TID/status} and
 * {@code .../stat} of the threads alive at both samples (the process's own status file counts its main thread only).
 */
final class ServerProcess {
    /** USER_HZ: the unit of utime/stime in /proc; 100 on every Linux this runs on. */
    private static final double TICK_SECONDS = 0.01;

    /** One thread's counters at one sample. */
    private record Thread(String name, long ticks, long voluntary, long involuntary) {
    }

    /** One sample: the whole process's ticks and the threads by tid. */
    record Sample(long ticks, Map<String, Thread> threads) {
    }

    private final long pid;

    ServerProcess(long pid) {
        this.pid = pid;
    }

    /** Null when the process is gone or /proc cannot be read. */
    Sample sample() {
        try {
            long ticks = ticks(Files.readString(Path.of("/proc/" + pid + "/stat")));
            Map<String, Thread> threads = new HashMap<>();
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : tasks) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        long voluntary = 0;
                        long involuntary = 0;
                        for (String line : Files.readAllLines(task.resolve("status"))) {
                            if (line.startsWith("voluntary_ctxt_switches:")) {
                                voluntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                            } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                                involuntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                            }
                        }
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        threads.put(task.getFileName().toString(), new Thread(name, ticks(stat), voluntary,
                                involuntary));
                    } catch (IOException | RuntimeException e) {
                        // the thread ended between listing and reading
                    }
                }
            }
            return new Sample(ticks, threads);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** utime + stime: fields 14 and 15 of a stat line, counted after the command name in parentheses. */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * The figures between two samples for {@code ops} requests over {@code wallNs}: serverCpuSeconds,
     * serverCpuPctOfOneCore, serverCpuUsPerOp, serverVoluntaryCsPerOp, serverInvoluntaryCsPerOp and serverThreads
     * (per thread name, digits folded so that pools add up: % of one core and context switches per request, the
     * busiest first). Empty when a sample is missing.
     */
    static Map<String, Object> figures(Sample start, Sample end, long ops, long wallNs) {
        Map<String, Object> r = new LinkedHashMap<>();
        if (start == null || end == null || wallNs <= 0) {
            return r;
        }
        double cpuSeconds = (end.ticks - start.ticks) * TICK_SECONDS;
        long voluntary = 0;
        long involuntary = 0;
        Map<String, double[]> byName = new HashMap<>(); // ticks, voluntary, involuntary
        for (Map.Entry<String, Thread> e : end.threads.entrySet()) {
            Thread before = start.threads.get(e.getKey());
            Thread after = e.getValue();
            long t = after.ticks - (before == null ? 0 : before.ticks);
            long v = after.voluntary - (before == null ? 0 : before.voluntary);
            long n = after.involuntary - (before == null ? 0 : before.involuntary);
            voluntary += v;
            involuntary += n;
            double[] sum = byName.computeIfAbsent(after.name.replaceAll("[0-9]+", "N"), k -> new double[3]);
            sum[0] += t;
            sum[1] += v;
            sum[2] += n;
        }
        double wallSeconds = wallNs / 1e9;
        r.put("serverCpuSeconds", cpuSeconds);
        r.put("serverCpuPctOfOneCore", 100.0 * cpuSeconds / wallSeconds);
        r.put("serverCpuUsPerOp", ops == 0 ? null : cpuSeconds * 1e6 / ops);
        r.put("serverVoluntaryCsPerOp", ops == 0 ? null : (double) voluntary / ops);
        r.put("serverInvoluntaryCsPerOp", ops == 0 ? null : (double) involuntary / ops);
        List<Map.Entry<String, double[]>> sorted = new ArrayList<>(byName.entrySet());
        sorted.sort((a, b) -> Double.compare(b.getValue()[0] + (b.getValue()[1] + b.getValue()[2]) * 1e-9,
                a.getValue()[0] + (a.getValue()[1] + a.getValue()[2]) * 1e-9));
        Map<String, Object> threads = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : sorted) {
            double[] s = e.getValue();
            if (s[0] == 0 && s[1] + s[2] == 0) {
                continue;
            }
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("cpuPctOfOneCore", 100.0 * s[0] * TICK_SECONDS / wallSeconds);
            t.put("csPerOp", ops == 0 ? null : (s[1] + s[2]) / ops);
            threads.put(e.getKey(), t);
        }
        r.put("serverThreads", threads);
        return r;
    }
}
