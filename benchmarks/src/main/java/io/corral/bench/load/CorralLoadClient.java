package io.corral.bench.load;

import io.corral.client.ClientOptions;
import io.corral.client.CorralClient;
import io.corral.client.KeeperErrorException;
import io.corral.client.WatchEvent;
import io.corral.client.WatchMode;
import io.corral.protocol.ErrorCode;

import java.time.Duration;

/**
 * {@link LoadClient} on Corral's reactive client: one pipelined connection per session, each operation a Mono
 * subscribed with callbacks. It uses less CPU per request than the official client, so on a small machine it
 * caps the measured throughput later.
 */
final class CorralLoadClient implements LoadClient {
    private final CorralClient client;
    private final WatchListener watches;

    private CorralLoadClient(CorralClient client, WatchListener watches) {
        this.client = client;
        this.watches = watches;
    }

    static final class CorralFactory implements Factory {
        @Override
        public LoadClient connect(String connectString, int sessionTimeoutMs, int connectTimeoutMs,
                                  WatchListener watches) {
            ClientOptions options = ClientOptions.builder()
                    .sessionTimeout(Duration.ofMillis(sessionTimeoutMs))
                    .connectionTimeout(Duration.ofMillis(connectTimeoutMs))
                    .maxPendingRequests(100_000)
                    .build();
            // the load tool's own thread waits for the session here, never an event loop
            CorralClient client = CorralClient.connect(connectString, options)
                    .block(Duration.ofMillis(connectTimeoutMs + 1_000L));
            return new CorralLoadClient(client, watches);
        }
    }

    private static int code(Throwable error) {
        return error instanceof KeeperErrorException keeper ? keeper.code() : ErrorCode.CONNECTION_LOSS;
    }

    @Override
    public void create(String path, byte[] data, Callback callback) {
        client.create(path, data).subscribe(created -> callback.done(OK), e -> callback.done(code(e)));
    }

    @Override
    public void setData(String path, byte[] data, Callback callback) {
        client.setData(path, data).subscribe(stat -> callback.done(OK), e -> callback.done(code(e)));
    }

    @Override
    public void getData(String path, boolean watch, Callback callback) {
        if (!watch) {
            client.getData(path).subscribe(node -> callback.done(OK), e -> callback.done(code(e)));
            return;
        }
        client.getDataAndWatch(path).subscribe(watched -> {
            watched.change().subscribe(event -> {
                if (watches != null) {
                    watches.dataChanged(event.path());
                }
            }, e -> { });
            callback.done(OK);
        }, e -> callback.done(code(e)));
    }

    @Override
    public void delete(String path, Callback callback) {
        client.delete(path).subscribe(v -> { }, e -> callback.done(code(e)), () -> callback.done(OK));
    }

    @Override
    public void watchNode(String path, Callback registered) {
        client.watch(path, WatchMode.NODE)
                .filter(event -> event.type() == WatchEvent.Type.NODE_DATA_CHANGED)
                .subscribe(event -> {
                    if (watches != null) {
                        watches.dataChanged(event.path());
                    }
                }, e -> { });
        // requests are answered in order: once sync answers, the addWatch sent before it is registered
        client.sync(path).subscribe(v -> { }, e -> registered.done(code(e)), () -> registered.done(OK));
    }

    @Override
    public void close() {
        client.close().block(Duration.ofSeconds(5));
    }
}
