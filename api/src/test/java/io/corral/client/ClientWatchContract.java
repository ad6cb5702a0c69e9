package io.corral.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import io.corral.protocol.ErrorCode;
import io.corral.protocol.OpCode;
import io.corral.protocol.PathTypeRequest;
import io.corral.protocol.Stat;
import io.corral.protocol.WatcherType;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** One-shot watches, persistent watch streams, watchData and watchChildren. */
public abstract class ClientWatchContract extends AbstractClientContract {

    private static WatchEvent created(String p) {
        return new WatchEvent(WatchEvent.Type.NODE_CREATED, p);
    }

    private static WatchEvent changed(String p) {
        return new WatchEvent(WatchEvent.Type.NODE_DATA_CHANGED, p);
    }

    private static WatchEvent deleted(String p) {
        return new WatchEvent(WatchEvent.Type.NODE_DELETED, p);
    }

    private static WatchEvent children(String p) {
        return new WatchEvent(WatchEvent.Type.NODE_CHILDREN_CHANGED, p);
    }

    @Test
    void oneShotWatchesFireOnce() {
        CorralClient c = connect();
        CorralClient writer = connect();
        String p = root("oneshot");

        Watched<Optional<Stat>> exist = await(c.existsAndWatch(p));
        assertThat(exist.value()).isEmpty();
        run(writer.create(p, bytes("a")));
        StepVerifier.create(exist.change()).expectNext(created(p)).verifyComplete();

        Watched<NodeData> data = await(c.getDataAndWatch(p));
        assertThat(str(data.value().data())).isEqualTo("a");
        Watched<Children> kids = await(c.getChildrenAndWatch(p));
        assertThat(kids.value().names()).isEmpty();
        run(writer.setData(p, bytes("b")));
        StepVerifier.create(data.change()).expectNext(changed(p)).verifyComplete();
        run(writer.create(p + "/k", null));
        StepVerifier.create(kids.change()).expectNext(children(p)).verifyComplete();

        Watched<NodeData> again = await(c.getDataAndWatch(p));
        run(writer.delete(p + "/k"));
        run(writer.delete(p));
        StepVerifier.create(again.change()).expectNext(deleted(p)).verifyComplete();
    }

    @Test
    void persistentNodeStream() {
        CorralClient c = connect();
        CorralClient writer = connect();
        String p = root("node");
        // take(n) cancels the stream inside the last onNext, so the removal is queued before the check below
        StepVerifier.create(c.watch(p, WatchMode.NODE).take(4))
                .then(() -> run(c.sync("/"))) // FIFO: the watch is registered once sync answers
                .then(() -> run(writer.create(p, null)))
                .expectNext(created(p))
                .then(() -> run(writer.create(p + "/child", null)))
                .then(() -> run(writer.setData(p, bytes("x"))))
                .expectNext(changed(p))
                .then(() -> run(writer.delete(p + "/child")))
                .then(() -> run(writer.delete(p)))
                .expectNext(deleted(p))
                .then(() -> run(writer.create(p, null)))
                .expectNext(created(p))
                .verifyComplete();
        // the server watch went with the last subscriber
        expectError(c.call(OpCode.REMOVE_WATCHES, p, new PathTypeRequest(p, WatcherType.PERSISTENT),
                ReplyDecoder.NONE, null), ErrorCode.NO_WATCHER, p);
    }

    @Test
    void persistentChildrenAndSubtreeStreams() {
        CorralClient c = connect();
        CorralClient writer = connect();
        String p = root("tree");
        run(writer.create(p, null));
        Flux<WatchEvent> kids = c.watch(p, WatchMode.CHILDREN);
        Flux<WatchEvent> tree = c.watch(p, WatchMode.SUBTREE);
        StepVerifier.create(kids.mergeWith(tree).take(5))
                .then(() -> run(c.sync("/")))
                .then(() -> run(writer.create(p + "/a", null)))
                .expectNextMatches(e -> e.equals(children(p)) || e.equals(created(p + "/a")))
                .expectNextMatches(e -> e.equals(children(p)) || e.equals(created(p + "/a")))
                .then(() -> run(writer.create(p + "/a/b", bytes("1"))))
                .expectNext(created(p + "/a/b"))
                .then(() -> run(writer.setData(p + "/a/b", bytes("2"))))
                .expectNext(changed(p + "/a/b"))
                .then(() -> run(writer.setData(p, bytes("2"))))
                .expectNext(changed(p))
                .verifyComplete();
        // (server-side removal is asserted in persistentNodeStream: with a persistent and a recursive watch on the
        // same path, a follow-up removeWatches intermittently still found one on ZooKeeper 3.9.5 - under study)
    }

    @Test
    void twoSubscribersShareOneServerWatch() {
        CorralClient c = connect();
        CorralClient writer = connect();
        String p = root("shared");
        run(writer.create(p, null));
        Flux<WatchEvent> stream = c.watch(p, WatchMode.NODE);
        StepVerifier.create(stream.take(1))
                .then(() -> StepVerifier.create(stream.take(2))
                        .then(() -> run(c.sync("/")))
                        .then(() -> run(writer.setData(p, bytes("1"))))
                        .expectNext(changed(p))
                        .then(() -> run(writer.setData(p, bytes("2"))))
                        .expectNext(changed(p))
                        .verifyComplete())
                .expectNext(changed(p))
                .verifyComplete();
    }

    @Test
    void watchDataSeesEveryValueWrittenByAnotherClient() {
        CorralClient c = connect();
        CorralClient writer = connect();
        String p = root("values");
        int n = 25;
        StepVerifier.Step<NodeValue> steps = StepVerifier.create(c.watchData(p))
                .assertNext(v -> assertThat(v.exists()).isFalse())
                .then(() -> run(writer.create(p, bytes("0"))))
                .assertNext(v -> assertThat(str(v.data())).isEqualTo("0"));
        for (int i = 1; i <= n; i++) {
            String value = Integer.toString(i);
            int version = i;
            steps = steps.then(() -> run(writer.setData(p, bytes(value))))
                    .assertNext(v -> {
                        assertThat(str(v.data())).isEqualTo(value);
                        assertThat(v.version()).isEqualTo(version);
                    });
        }
        steps.then(() -> run(writer.delete(p)))
                .assertNext(v -> assertThat(v.exists()).isFalse())
                .then(() -> run(writer.create(p, bytes("again"))))
                .assertNext(v -> assertThat(str(v.data())).isEqualTo("again"))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void watchDataNeverMissesTheLastValueOfABurst() {
        CorralClient c = connect();
        CorralClient writer = connect();
        String p = root("burst");
        run(writer.create(p, bytes("0")));
        int n = 200;
        StepVerifier.create(c.watchData(p).map(NodeValue::version))
                .expectNext(0)
                .then(() -> writer.transaction().commit().subscribe()) // nothing: just proves other traffic is fine
                .then(() -> Flux.range(1, n).concatMap(i -> writer.setData(p, bytes(Integer.toString(i)))).subscribe())
                .thenConsumeWhile(v -> v < n, v -> assertThat(v).isBetween(1, n))
                .expectNext(n)
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void watchChildrenReportsSuccessiveLists() {
        CorralClient c = connect();
        CorralClient writer = connect();
        String p = root("kids");
        StepVerifier.create(c.watchChildren(p).map(ch -> List.copyOf(new java.util.TreeSet<>(ch.names()))))
                .expectNext(List.of())
                .then(() -> run(writer.create(p, null)))
                .then(() -> run(writer.create(p + "/a", null)))
                .thenConsumeWhile(List::isEmpty)
                .expectNext(List.of("a"))
                .then(() -> run(writer.create(p + "/b", null)))
                .expectNext(List.of("a", "b"))
                .then(() -> run(writer.delete(p + "/a")))
                .expectNext(List.of("b"))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void streamsCompleteWhenTheClientCloses() {
        CorralClient c = await(CorralClient.connect(server.connectString(), options().build()));
        String p = root("closing");
        run(c.create(p, null));
        StepVerifier.create(c.watchData(p).map(NodeValue::exists).mergeWith(c.watch(p, WatchMode.SUBTREE).map(e -> false)))
                .expectNext(true)
                .then(() -> c.close().subscribe())
                .verifyComplete();
    }
}
