package io.corral.server.ops;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.corral.protocol.OpCode;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's figures as Micrometer meters in a Prometheus registry, under ZooKeeper's metric names: the mntr
 * figures as gauges (znode_count, watch_count, …, read from the latest consistent reading the sequencer took), the
 * latency and fsync summaries as Prometheus summaries (readlatency, updatelatency, fsynctime), plus Corral's own
 * (corral_…, per-operation latencies) and, when asked, the JVM's.
 */
public final class ServerMetrics implements AutoCloseable {
    private static final double[] QUANTILES = {0.5, 0.9, 0.99};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Set<String> summaryKeys = new HashSet<>();
    private final Set<String> gauges = ConcurrentHashMap.newKeySet();
    private final Map<Integer, DistributionSummary> perOperation = new ConcurrentHashMap<>();
    private final JvmGcMetrics gc;
    private volatile Map<String, Double> latest = Map.of();

    public ServerMetrics(ServerStats stats, boolean exportJvmInfo) {
        for (Summary summary : stats.summaries()) {
            DistributionSummary meter = DistributionSummary.builder(summary.name())
                    .description(summary.name() + " in ms").publishPercentiles(QUANTILES).register(registry);
            summary.alsoRecordTo(meter::record);
            for (String form : new String[] {"avg", "min", "max", "cnt", "sum"}) {
                summaryKeys.add("zk_" + form + "_" + summary.name());
            }
        }
        stats.onReply((op, latencyMs) -> perOperation.computeIfAbsent(op, this::operationLatency).record(latencyMs));
        if (exportJvmInfo) {
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            gc = new JvmGcMetrics();
            gc.bindTo(registry);
        } else {
            gc = null;
        }
    }

    private DistributionSummary operationLatency(int op) {
        return DistributionSummary.builder("corral.request.latency").baseUnit("ms").tag("op", OpCode.name(op))
                .description("request latency by operation").publishPercentiles(QUANTILES).register(registry);
    }

    /** The figures the gauges show from now on: mntr's numeric values, named as ZooKeeper's Prometheus provider does. */
    public void update(Map<String, Object> monitorValues) {
        Map<String, Double> values = new LinkedHashMap<>();
        monitorValues.forEach((key, value) -> {
            Double number = numeric(value);
            if (number != null && !summaryKeys.contains(key)) {
                values.put(key.startsWith("zk_") ? key.substring(3) : key, number);
            }
        });
        latest = values;
        for (String name : values.keySet()) {
            if (gauges.add(name)) {
                Gauge.builder(name, this, metrics -> metrics.latest.getOrDefault(name, Double.NaN))
                        .register(registry);
            }
        }
    }

    /** A number, or a figure mntr prints as a decimal (avg_latency); null for text (version, state, zxids). */
    private static Double numeric(Object value) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof String text && text.matches("-?[0-9]+(\\.[0-9]+)?")) {
            return Double.parseDouble(text);
        }
        return null;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }
}
