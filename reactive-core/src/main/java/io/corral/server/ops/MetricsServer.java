package io.corral.server.ops;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * {@code GET /metrics} in Prometheus's text format, as ZooKeeper's Prometheus provider serves it, on Reactor Netty.
 * A scrape asks the sequencer for one consistent reading, then renders it off the event loop.
 */
public final class MetricsServer implements AutoCloseable {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Duration READING_TIMEOUT = Duration.ofSeconds(10);

    private final DisposableServer http;
    private final ServerMetrics metrics;

    private MetricsServer(DisposableServer http, ServerMetrics metrics) {
        this.http = http;
        this.metrics = metrics;
    }

    public static MetricsServer start(InetSocketAddress address, InspectableServer server, boolean exportJvmInfo) {
        ServerMetrics metrics = new ServerMetrics(server.stats(), exportJvmInfo);
        DisposableServer http = HttpServer.create()
                .bindAddress(() -> address)
                .route(routes -> routes.get("/metrics", (request, response) -> Mono
                        .fromFuture(() -> server.inspect(view -> MonitorValues.of(view, view.connections().size())))
                        .timeout(READING_TIMEOUT)
                        .publishOn(Schedulers.boundedElastic())
                        .map(values -> {
                            metrics.update(values);
                            return metrics.scrape();
                        })
                        .flatMap(text -> response.header(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
                                .sendString(Mono.just(text)).then())
                        .onErrorResume(e -> unavailable(response, e))))
                .bindNow();
        return new MetricsServer(http, metrics);
    }

    static Mono<Void> unavailable(HttpServerResponse response, Throwable cause) {
        return response.status(HttpResponseStatus.SERVICE_UNAVAILABLE)
                .sendString(Mono.just(String.valueOf(cause.getMessage()) + "\n")).then();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) http.address();
    }

    @Override
    public void close() {
        http.disposeNow(Duration.ofSeconds(5));
        metrics.close();
    }
}
