package io.corral.bench.load;

import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/** A line on stderr every few seconds: the phase, the rate, latencies since the last line, the tool's own CPU. */
final class Progress {
    private Progress() {
    }

    /** Starts the daemon thread; interrupt it to stop. Does nothing (but returns a thread) for seconds <= 0. */
    static Thread start(Measurement m, String workload, int seconds) {
        Thread t = new Thread(() -> {
            if (seconds <= 0) {
                return;
            }
            long last = System.nanoTime();
            long lastCpu = processCpuNanos();
            long lastCount = m.completedAll.sum();
            Histogram h = null;
            try {
                while (true) {
                    Thread.sleep(seconds * 1000L);
                    long now = System.nanoTime();
                    long cpu = processCpuNanos();
                    long c = m.completedAll.sum();
                    h = m.interval.getIntervalHistogram(h);
                    String phase = now < m.measureStart ? "warmup" : now < m.measureEnd ? "measure" : "drain";
                    System.err.printf(Locale.ROOT,
                            "corral-bench [%6.1fs] %-7s %-6s ops/s=%9.0f p50=%8.2fms p99=%8.2fms max=%8.2fms "
                                    + "inflight=%d errors=%d cpu=%.0f%%%n",
                            (now - m.runStart) / 1e9, phase, workload, (c - lastCount) / ((now - last) / 1e9),
                            h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
                            h.getMaxValue() / 1e6, m.outstanding.get(), m.errorsAll.sum(),
                            100.0 * (cpu - lastCpu) / (now - last));
                    last = now;
                    lastCpu = cpu;
                    lastCount = c;
                }
            } catch (InterruptedException e) {
                // done
            }
        }, "corral-bench-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** CPU time of this process (every thread), or -1 where the JVM does not tell. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }
}
