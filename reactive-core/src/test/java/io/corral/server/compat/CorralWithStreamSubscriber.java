package io.corral.server.compat;

import io.corral.client.CorralClient;
import io.corral.client.WatchMode;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A Corral server with a resumable watch stream on its whole tree for as long as it runs (Corral's client, from zxid
 * 0: history, then live), so that a contract run on it checks that the official client and Curator see nothing of
 * the extension. On close, the stream must not have failed.
 */
final class CorralWithStreamSubscriber implements ServerUnderTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final ServerUnderTest server;
    private final CorralClient subscriber;
    private final Disposable stream;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private CorralWithStreamSubscriber(ServerUnderTest server) {
        this.server = server;
        this.subscriber = CorralClient.connect(server.connectString()).block(WAIT);
        this.stream = subscriber.watch("/", WatchMode.SUBTREE, 0)
                .subscribe(change -> { }, failure::set);
    }

    static ServerUnderTest start(Map<String, String> config) {
        return new CorralWithStreamSubscriber(CorralServers.start(config));
    }

    @Override
    public String connectString() {
        return server.connectString();
    }

    @Override
    public String kind() {
        return server.kind();
    }

    @Override
    public void close() {
        stream.dispose();
        subscriber.close().onErrorComplete().block(WAIT);
        server.close();
        if (failure.get() != null) {
            throw new AssertionError("the resumable stream failed", failure.get());
        }
    }

    @Override
    public String toString() {
        return server + " with a resumable stream on /";
    }
}
