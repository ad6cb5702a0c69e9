package io.corral.client.recipes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.corral.client.AbstractClientContract;
import io.corral.client.CorralClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * What the recipes' contracts share: clients, waits for a recipe's nodes, and the time limits of contention and
 * of "nothing more happens". Each contract is implemented once for Apache ZooKeeper and once for Corral.
 */
public abstract class RecipeContract extends AbstractClientContract {
    protected static final Duration LONG = Duration.ofSeconds(60); // a hang guard for the contention tests
    /** Long enough for a wrongly released waiter to show up, short enough to keep the suite fast. */
    protected static final Duration QUIET = Duration.ofMillis(300);

    /** Emits into a test sink from any client's thread (emissions must not overlap). */
    protected static <T> void emit(Sinks.Many<T> sink, T value) {
        synchronized (sink) {
            sink.emitNext(value, Sinks.EmitFailureHandler.FAIL_FAST);
        }
    }

    protected List<CorralClient> clients(int n) {
        List<CorralClient> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(connect());
        }
        return out;
    }

    protected static List<String> children(CorralClient client, String path) {
        return await(client.getChildren(path).map(c -> c.names())
                .onErrorResume(e -> e instanceof io.corral.client.KeeperErrorException k
                        && k.code() == io.corral.protocol.ErrorCode.NO_NODE, e -> Mono.just(List.of())));
    }

    /** Waits until {@code path} has exactly {@code count} children (creates and cleanups land asynchronously). */
    protected static void awaitChildCount(CorralClient client, String path, int count) {
        StepVerifier.create(client.watchChildren(path).filter(c -> c.names().size() == count).next())
                .expectNextCount(1).verifyComplete();
    }

    /** Waits until {@code path} has no children left (cleanup runs after a cancel, asynchronously). */
    protected static void awaitNoChildren(CorralClient client, String path) {
        awaitChildCount(client, path, 0);
    }

    /** The first value of {@code read}, read again every 20 ms, that passes {@code test}. */
    protected static <T> Mono<T> eventually(Mono<T> read, java.util.function.Predicate<T> test) {
        return read.repeatWhen(again -> again.delayElements(Duration.ofMillis(20))).filter(test).next();
    }
}
