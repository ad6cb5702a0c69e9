package io.corral.server.config;

import java.net.InetSocketAddress;

/**
 * ZooKeeper's {@code metricsProvider.*} keys. Naming ZooKeeper's Prometheus provider turns on Corral's Prometheus
 * endpoint ({@code GET /metrics} on httpHost:httpPort); naming ZooKeeper's default provider, or none, leaves the
 * figures to mntr and the admin commands, as in ZooKeeper. Another provider class is refused: Corral cannot load it.
 */
public record MetricsProviderConfig(boolean prometheus, InetSocketAddress httpAddress, boolean exportJvmInfo) {
    public static final String PROMETHEUS = "org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider";
    static final String DEFAULT = "org.apache.zookeeper.metrics.impl.DefaultMetricsProvider";

    static MetricsProviderConfig parse(RawConfig raw) {
        String className = raw.string("metricsProvider.className");
        String host = raw.string("metricsProvider.httpHost");
        int port = raw.intValue("metricsProvider.httpPort", 7000, 0, 65535);
        boolean jvm = raw.bool("metricsProvider.exportJvmInfo", true);
        if (className != null && !className.equals(PROMETHEUS) && !className.equals(DEFAULT)) {
            throw ConfigException.invalid("metricsProvider.className", className,
                    "Corral exports metrics through " + PROMETHEUS + " (or none: " + DEFAULT + ")");
        }
        InetSocketAddress address = new InetSocketAddress(
                IpLiterals.parse("metricsProvider.httpHost", host == null ? "0.0.0.0" : host), port);
        return new MetricsProviderConfig(PROMETHEUS.equals(className), address, jvm);
    }
}
