package io.corral.server.ops;

import io.corral.server.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** The operators' HTTP endpoints a server runs beside its client port, as its config asks: Prometheus metrics. */
public final class OperatorEndpoints implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OperatorEndpoints.class);

    private final MetricsServer metrics;

    private OperatorEndpoints(MetricsServer metrics) {
        this.metrics = metrics;
    }

    public static OperatorEndpoints start(ServerConfig config, InspectableServer server) {
        MetricsServer metrics = null;
        if (config.metricsProvider().prometheus()) {
            metrics = MetricsServer.start(config.metricsProvider().httpAddress(), server,
                    config.metricsProvider().exportJvmInfo());
            log.info("Prometheus metrics at {}", url(metrics.address(), "/metrics"));
        }
        return new OperatorEndpoints(metrics);
    }

    /** Where Prometheus scrapes, or null when metrics are off. */
    public InetSocketAddress metricsAddress() {
        return metrics == null ? null : metrics.address();
    }

    /** The URLs that are served, for the start-up line. */
    public List<String> urls() {
        List<String> urls = new ArrayList<>();
        if (metrics != null) {
            urls.add("metrics " + url(metrics.address(), "/metrics"));
        }
        return urls;
    }

    static String url(InetSocketAddress address, String path) {
        String host = address.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + path;
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
    }
}
