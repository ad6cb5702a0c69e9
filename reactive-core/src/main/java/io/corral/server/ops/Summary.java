package io.corral.server.ops;

import java.util.Locale;
import java.util.Map;

/**
 * Count, sum, min and max of a figure (a latency, a duration), as ZooKeeper's summaries print them in mntr
 * ({@code zk_avg_<name>}, {@code zk_min_…}, {@code zk_max_…}, {@code zk_cnt_…}, {@code zk_sum_…}). Written by one
 * thread; the others read it as it is (a slightly stale figure is fine, a torn one is not: fields are volatile).
 */
public final class Summary {
    private final String name;
    private volatile long count;
    private volatile long sum;
    private volatile long min = Long.MAX_VALUE;
    private volatile long max;
    private volatile java.util.function.LongConsumer also = value -> { };

    public Summary(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public void record(long value) {
        count++;
        sum += value;
        if (value < min) {
            min = value;
        }
        if (value > max) {
            max = value;
        }
        also.accept(value);
    }

    /** Every value recorded from now on is also handed to {@code sink} (a Prometheus summary). */
    public void alsoRecordTo(java.util.function.LongConsumer sink) {
        also = sink;
    }

    public void reset() {
        count = 0;
        sum = 0;
        min = Long.MAX_VALUE;
        max = 0;
    }

    public long count() {
        return count;
    }

    public long sum() {
        return sum;
    }

    public long min() {
        return count == 0 ? 0 : min;
    }

    public long max() {
        return max;
    }

    /** The mean with the precision ZooKeeper prints it (0.0 before the first value). */
    public String avg() {
        long n = count;
        return n == 0 ? "0.0" : String.format(Locale.ROOT, "%.4f", (double) sum / n);
    }

    /** Adds ZooKeeper's five mntr lines for this summary. */
    void putInto(Map<String, Object> values) {
        values.put("zk_avg_" + name, avg());
        values.put("zk_min_" + name, min());
        values.put("zk_max_" + name, max());
        values.put("zk_cnt_" + name, count());
        values.put("zk_sum_" + name, sum());
    }
}
