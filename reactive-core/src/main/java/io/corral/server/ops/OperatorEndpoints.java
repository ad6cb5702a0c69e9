package io.corral.server.ops;

import io.corral.server.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The operators' HTTP endpoints a server runs beside its client port, as its config asks: Prometheus metrics and the
 * AdminServer. Like ZooKeeper, a server whose AdminServer cannot bind does not start.
 */
public final class OperatorEndpoints implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OperatorEndpoints.class);

    private final MetricsServer metrics;
    private final AdminServer admin;

    private OperatorEndpoints(MetricsServer metrics, AdminServer admin) {
        this.metrics = metrics;
        this.admin = admin;
    }

    public static OperatorEndpoints start(ServerConfig config, InspectableServer server) {
        MetricsServer metrics = null;
        if (config.metricsProvider().prometheus()) {
            metrics = MetricsServer.start(config.metricsProvider().httpAddress(), server,
                    config.metricsProvider().exportJvmInfo());
        }
        AdminServer admin = null;
        if (config.adminServer().enabled()) {
            try {
                admin = AdminServer.start(config.adminServer(), server, config.superDigest());
            } catch (RuntimeException e) {
                if (metrics != null) {
                    metrics.close();
                }
                throw new IllegalStateException("Cannot start the AdminServer on " + config.adminServer().address()
                        + " (admin.serverPort; admin.enableServer=false turns it off): " + e.getMessage(), e);
            }
        }
        return new OperatorEndpoints(metrics, admin);
    }

    /** Where the AdminServer listens, or null when it is off. */
    public InetSocketAddress adminAddress() {
        return admin == null ? null : admin.address();
    }

    /** Where Prometheus scrapes, or null when metrics are off. */
    public InetSocketAddress metricsAddress() {
        return metrics == null ? null : metrics.address();
    }

    /** The URLs that are served, for the start-up line. */
    public List<String> urls() {
        List<String> urls = new ArrayList<>();
        if (metrics != null) {
            urls.add("metrics at " + url("http", metrics.address(), "/metrics"));
        }
        if (admin != null) {
            urls.add("admin commands at " + url(admin.secure() ? "https" : "http", admin.address(),
                    admin.commandUrl()));
        }
        return urls;
    }

    static String url(String scheme, InetSocketAddress address, String path) {
        String host = address.getAddress().getHostAddress();
        return scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + path;
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }
}
