package io.corral.server.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.corral.protocol.Id;
import io.corral.server.config.AdminServerConfig;
import io.corral.server.tls.TlsEndpoint;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AttributeKey;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * ZooKeeper's AdminServer on Reactor Netty: {@code GET <commandURL>} lists the commands, {@code GET
 * <commandURL>/<name>} answers ZooKeeper's JSON; plus {@code /health/live} and {@code /health/ready} for Kubernetes
 * probes (ready: the server serves clients). Every answer is read on the sequencer thread and written to JSON off the
 * event loop. With {@code admin.forceHttps} only HTTPS is served, with {@code admin.portUnification} HTTPS and HTTP
 * on the one port (told apart by the first byte), behind the same TLS endpoint as the client and quorum ports.
 */
public final class AdminServer implements AutoCloseable {
    private static final Duration READING_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What the TLS handshake proved of an HTTPS client: the x509 ids of its certificate. */
    private static final AttributeKey<List<Id>> CERTIFICATE_IDS = AttributeKey.valueOf("corral-admin-x509");

    private final DisposableServer http;
    private final String commandUrl;
    private final TlsEndpoint tls;

    private AdminServer(DisposableServer http, String commandUrl, TlsEndpoint tls) {
        this.http = http;
        this.commandUrl = commandUrl;
        this.tls = tls;
    }

    /** @param superDigest the configured super digest (null: none), which the snapshot and restore commands accept */
    public static AdminServer start(AdminServerConfig config, InspectableServer server, String superDigest) {
        String base = config.commandUrl();
        BackupCommands backups = new BackupCommands(server, config, superDigest);
        TlsEndpoint tls = config.tls() == null ? null : TlsEndpoint.start(config.tls());
        HttpServer plain = HttpServer.create()
                .bindAddress(config::address)
                .idleTimeout(Duration.ofMillis(config.idleTimeoutMs()));
        try {
            DisposableServer http = (tls == null ? plain : secured(plain, tls, config.forceHttps()))
                    .route(routes -> routes
                            .get(base, (request, response) -> list(base, response))
                            .get(base + "/", (request, response) -> list(base, response))
                            .get(base + "/{name}", (request, response) -> command(server, backups, request, response))
                            .post(base + "/{name}", (request, response) -> post(backups, request, response))
                            .get("/health/live", (request, response) -> response.sendString(Mono.just("alive\n")))
                            .get("/health/ready", (request, response) -> ready(server, response)))
                    .bindNow();
            return new AdminServer(http, base, tls);
        } catch (RuntimeException e) {
            if (tls != null) {
                tls.close(); // stops watching the key material of a server that did not start
            }
            throw e;
        }
    }

    /**
     * Every connection behind TLS first (admin.forceHttps), or when its first byte is a TLS handshake's
     * (admin.portUnification); the handshake's x509 ids kept on the channel for {@link #certificateIds}.
     */
    private static HttpServer secured(HttpServer http, TlsEndpoint tls, boolean forceHttps) {
        return http.doOnChannelInit((observer, channel, remote) -> {
            Consumer<List<Id>> identified = ids -> channel.attr(CERTIFICATE_IDS).set(ids);
            if (forceHttps) {
                tls.secure(channel, identified);
            } else {
                tls.detect(channel, identified);
            }
        });
    }

    /** The x509 ids of the HTTPS client's certificate; none over HTTP or without a certificate. */
    static List<Id> certificateIds(HttpServerRequest request) {
        List<List<Id>> ids = new ArrayList<>(1);
        request.withConnection(connection -> ids.add(connection.channel().attr(CERTIFICATE_IDS).get()));
        return ids.isEmpty() || ids.get(0) == null ? List.of() : ids.get(0);
    }

    private static Mono<Void> list(String base, HttpServerResponse response) {
        StringBuilder html = new StringBuilder();
        SortedSet<String> names = new TreeSet<>();
        AdminCommands.all().forEach(command -> names.add(command.name()));
        for (String name : names) {
            html.append("<a href=\"").append(base).append('/').append(name).append("\">")
                    .append(name).append("</a>\n<br/>\n");
        }
        return response.header(HttpHeaderNames.CONTENT_TYPE, "text/html").sendString(Mono.just(html.toString()))
                .then();
    }

    private static Mono<Void> command(InspectableServer server, BackupCommands backups, HttpServerRequest request,
            HttpServerResponse response) {
        String name = request.param("name");
        var command = AdminCommands.find(name);
        if (command.isEmpty()) {
            return unknown(name, response);
        }
        String primary = command.get().name();
        if (primary.equals(AdminCommands.SNAPSHOT)) {
            return backups.snapshot(request, response);
        }
        if (primary.equals(AdminCommands.RESTORE)) {
            return onlyWith("POST", primary, response);
        }
        return Mono.fromFuture(() -> server.inspect(command.get().run()))
                .timeout(READING_TIMEOUT)
                .publishOn(Schedulers.boundedElastic())
                .flatMap(fields -> {
                    Map<String, Object> answer = new LinkedHashMap<>(fields);
                    answer.putIfAbsent("command", primary);
                    answer.putIfAbsent("error", null);
                    return json(response, HttpResponseStatus.OK, answer);
                })
                .onErrorResume(e -> MetricsServer.unavailable(response, e));
    }

    /** Restore is the only command that takes a body. */
    private static Mono<Void> post(BackupCommands backups, HttpServerRequest request, HttpServerResponse response) {
        String name = request.param("name");
        var command = AdminCommands.find(name);
        if (command.isEmpty()) {
            return unknown(name, response);
        }
        if (command.get().name().equals(AdminCommands.RESTORE)) {
            return backups.restore(request, response);
        }
        return onlyWith("GET", command.get().name(), response);
    }

    private static Mono<Void> unknown(String name, HttpServerResponse response) {
        Map<String, Object> unknown = new LinkedHashMap<>();
        unknown.put("command", name);
        unknown.put("error", "Unknown command: " + name);
        return json(response, HttpResponseStatus.OK, unknown); // ZooKeeper answers 200 with the error
    }

    private static Mono<Void> onlyWith(String method, String command, HttpServerResponse response) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("command", command);
        body.put("error", command + " is run with " + method);
        return json(response, HttpResponseStatus.METHOD_NOT_ALLOWED, body);
    }

    private static Mono<Void> ready(InspectableServer server, HttpServerResponse response) {
        return Mono.fromFuture(() -> server.inspect(ServerView::serving))
                .timeout(READING_TIMEOUT)
                .flatMap(serving -> serving ? response.sendString(Mono.just("ready\n")).then()
                        : response.status(HttpResponseStatus.SERVICE_UNAVAILABLE)
                                .sendString(Mono.just("not serving\n")).then())
                .onErrorResume(e -> MetricsServer.unavailable(response, e));
    }

    static Mono<Void> json(HttpServerResponse response, HttpResponseStatus status, Map<String, Object> body) {
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            return MetricsServer.unavailable(response, e);
        }
        return response.status(status).header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .sendString(Mono.just(text)).then();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) http.address();
    }

    public String commandUrl() {
        return commandUrl;
    }

    @Override
    public void close() {
        http.disposeNow(Duration.ofSeconds(5));
        if (tls != null) {
            tls.close();
        }
    }

    /** Whether it serves HTTPS (admin.forceHttps or admin.portUnification). */
    public boolean secure() {
        return tls != null;
    }
}
