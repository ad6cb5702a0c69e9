package io.corral.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.corral.protocol.ErrorCode;
import io.corral.protocol.OpCode;
import io.corral.protocol.PathTypeRequest;
import io.corral.protocol.WatcherType;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Watches in volume: more watch paths than one frame may carry are re-registered after a reconnect (setWatches2 in
 * chunks), and a subscriber that stops asking for events gets a bounded buffer and then an error.
 */
public abstract class ClientWatchVolumeContract extends AbstractClientContract {

    private static WatchEvent changed(String p) {
        return new WatchEvent(WatchEvent.Type.NODE_DATA_CHANGED, p);
    }

    @Test
    void moreWatchPathsThanOneFrameHoldsAreReRegisteredAfterAReconnect() {
        TcpProxy proxy = proxy(server.connectString());
        CorralClient c = connect(proxy.connectString(),
                options().sessionTimeout(Duration.ofSeconds(20)).maxPendingRequests(2000).build());
        CorralClient writer = connect();
        String p = root("many");
        run(writer.create(p, null));
        // 6,000 exist watches on missing nodes with ~200-character paths: ~1.2 MB of paths, more than
        // jute.maxbuffer (1 MB), so one setWatches2 frame would be refused by the server
        int n = 6_000;
        String stem = p + "/" + "w".repeat(180) + "-";
        List<Watched<?>> watches = await(Flux.range(0, n)
                .flatMapSequential(i -> c.existsAndWatch(stem + i), 1000)
                .collectList()).stream().<Watched<?>>map(w -> w).toList();
        assertThat(watches).hasSize(n).allSatisfy(w -> assertThat((java.util.Optional<?>) w.value()).isEmpty());

        StepVerifier.create(c.states().skip(1).take(2))
                .then(proxy::cutAll)
                .expectNext(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED)
                .verifyComplete();

        // nodes from the first, the middle and the last chunk: each exist watch fires
        List<Integer> sample = List.of(0, 1, n / 2, n - 2, n - 1);
        List<Integer> created = new ArrayList<>();
        for (int i : sample) {
            run(writer.create(stem + i, null));
            created.add(i);
        }
        for (int i : created) {
            StepVerifier.create(watches.get(i).change())
                    .expectNext(new WatchEvent(WatchEvent.Type.NODE_CREATED, stem + i))
                    .verifyComplete();
        }
        assertThat(c.state()).isEqualTo(ConnectionState.RECONNECTED);
    }

    @Test
    void aSubscriberThatStopsAskingGetsTheBufferedEventsThenAnOverflowError() {
        int capacity = 16;
        CorralClient c = connect(server.connectString(), options().watchBufferSize(capacity).build());
        CorralClient writer = connect();
        String p = root("slow");
        run(writer.create(p, null));

        StepVerifier.create(c.watch(p, WatchMode.NODE), 0)
                .then(() -> run(c.sync("/"))) // the watch is registered once sync answers (FIFO)
                .then(() -> {
                    for (int i = 0; i <= capacity + 3; i++) {
                        run(writer.setData(p, bytes(Integer.toString(i))));
                    }
                    run(c.sync("/")); // every notification reached c before this reply
                })
                .thenRequest(Long.MAX_VALUE)
                .expectNextCount(capacity)
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(WatchBufferOverflowException.class);
                    WatchBufferOverflowException o = (WatchBufferOverflowException) e;
                    assertThat(o.path()).isEqualTo(p);
                    assertThat(o.capacity()).isEqualTo(capacity);
                    assertThat(o.getMessage()).contains(p).contains("watchBufferSize");
                })
                .verify(TIMEOUT);
        // the failed stream's server watch is gone
        expectError(c.call(OpCode.REMOVE_WATCHES, p, new PathTypeRequest(p, WatcherType.PERSISTENT),
                ReplyDecoder.NONE, null), ErrorCode.NO_WATCHER, p);
    }

    @Test
    void aSubscriberThatKeepsUpNeverOverflowsASmallBuffer() {
        CorralClient c = connect(server.connectString(), options().watchBufferSize(2).build());
        CorralClient writer = connect();
        String p = root("fast");
        run(writer.create(p, null));
        int n = 50;
        StepVerifier.create(c.watch(p, WatchMode.NODE).take(n))
                .then(() -> run(c.sync("/")))
                .then(() -> Flux.range(0, n).concatMap(i -> writer.setData(p, bytes(Integer.toString(i)))).subscribe())
                .expectNextSequence(java.util.Collections.nCopies(n, changed(p)))
                .verifyComplete();
    }
}
