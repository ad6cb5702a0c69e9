package io.corral.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Base of the client contracts: one server per class ({@link #startServer(Map)}), implemented once for Apache
 * ZooKeeper (here) and once for Corral (reactive-core), so both servers pass the same assertions. Clients and proxies
 * made through the helpers are closed after each test; every test works under its own root path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractClientContract {
    protected static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final AtomicInteger ROOTS = new AtomicInteger();

    protected TestServer server;
    private final List<CorralClient> clients = new ArrayList<>();
    private final List<TcpProxy> proxies = new ArrayList<>();
    private final List<TestServer> extraServers = new ArrayList<>();

    /** Starts the server under test (keys: tickTime, minSessionTimeout, maxSessionTimeout). */
    protected abstract TestServer startServer(Map<String, String> config);

    @BeforeAll
    void startSharedServer() {
        StepVerifier.setDefaultTimeout(TIMEOUT); // no verification may hang a build
        server = startServer(Map.of());
    }

    @AfterAll
    void stopSharedServer() {
        extraServers.forEach(TestServer::close);
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void closeClients() {
        for (CorralClient c : clients) {
            StepVerifier.create(c.close()).expectComplete().verify(TIMEOUT);
        }
        clients.clear();
        proxies.forEach(TcpProxy::close);
        proxies.clear();
    }

    protected TestServer freshServer() {
        TestServer s = startServer(Map.of());
        extraServers.add(s);
        return s;
    }

    /** A fresh root path for one test. */
    protected static String root(String name) {
        return "/" + name + "-" + ROOTS.incrementAndGet();
    }

    protected static ClientOptions.Builder options() {
        return ClientOptions.builder().sessionTimeout(Duration.ofSeconds(10)).connectionTimeout(Duration.ofSeconds(10));
    }

    protected CorralClient connect() {
        return connect(server.connectString(), options().build());
    }

    protected CorralClient connect(String connectString, ClientOptions options) {
        return track(await(CorralClient.connect(connectString, options)));
    }

    protected CorralClient track(CorralClient client) {
        clients.add(client);
        return client;
    }

    protected TcpProxy proxy(String target) {
        try {
            TcpProxy p = new TcpProxy(target);
            proxies.add(p);
            return p;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The value of a Mono that must succeed, checked with StepVerifier. */
    protected static <T> T await(Mono<T> mono) {
        AtomicReference<T> ref = new AtomicReference<>();
        StepVerifier.create(mono).consumeNextWith(ref::set).expectComplete().verify(TIMEOUT);
        return ref.get();
    }

    /** Completes a Mono<Void> (or ignores the value), checked with StepVerifier. */
    protected static void run(Mono<?> mono) {
        StepVerifier.create(mono.then()).expectComplete().verify(TIMEOUT);
    }

    /** Expects {@code publisher} to signal nothing (no value, no end) for {@code quiet} after subscribing. */
    protected static void expectNothingFor(Publisher<?> publisher, Duration quiet) {
        StepVerifier.create(publisher).expectSubscription().expectNoEvent(quiet).thenCancel().verify();
    }

    protected static byte[] bytes(String s) {
        return CorralClient.utf8(s);
    }

    protected static String str(byte[] b) {
        return b == null ? null : new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Expects the Mono to fail with a KeeperErrorException of this code and path. */
    protected static void expectError(Mono<?> mono, int code, String path) {
        StepVerifier.create(mono)
                .expectErrorSatisfies(e -> {
                    org.assertj.core.api.Assertions.assertThat(e).isInstanceOf(KeeperErrorException.class);
                    KeeperErrorException k = (KeeperErrorException) e;
                    org.assertj.core.api.Assertions.assertThat(k.code())
                            .as("code of %s", k.getMessage()).isEqualTo(code);
                    if (path != null) {
                        org.assertj.core.api.Assertions.assertThat(k.path()).isEqualTo(path);
                    }
                })
                .verify(TIMEOUT);
    }
}
