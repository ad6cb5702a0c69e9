package io.corral.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The client's actor: tasks one at a time in submission order, whether handed over as a Runnable (queued) or as a
 * function and its two arguments (run at once when the actor is idle, else queued).
 */
class SerialExecutorTest {

    @Test
    void aTwoArgumentTaskRunsAtOnceOnAnIdleActorAndTasksItSubmitsRunAfterIt() {
        SerialExecutor actor = new SerialExecutor();
        List<String> ran = new ArrayList<>();
        actor.<String, String>execute((a, b) -> {
            ran.add(a + b);
            actor.execute(() -> ran.add("queued by it"));
            actor.<String, String>execute((x, y) -> ran.add(x + y), "then ", "this");
            ran.add("still the first");
        }, "first", "!");
        assertThat(ran).containsExactly("first!", "still the first", "queued by it", "then this");
    }

    @Test
    void bothKindsFromManyThreadsRunOneAtATimeEachThreadsInItsOrder() throws Exception {
        SerialExecutor actor = new SerialExecutor();
        int threads = 4;
        int perThread = 20_000;
        AtomicInteger running = new AtomicInteger();
        AtomicBoolean overlapped = new AtomicBoolean();
        List<List<Integer>> seen = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            seen.add(Collections.synchronizedList(new ArrayList<>()));
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Integer> mine = seen.get(t);
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    int n = i;
                    if (i % 2 == 0) {
                        actor.execute(() -> record(running, overlapped, mine, n));
                    } else {
                        actor.<List<Integer>, Integer>execute((list, k) -> record(running, overlapped, list, k),
                                mine, n);
                    }
                }
            });
            workers.add(worker);
            worker.start();
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(overlapped).isFalse();
        for (List<Integer> mine : seen) {
            assertThat(mine).hasSize(perThread);
            for (int i = 0; i < perThread; i++) {
                assertThat(mine.get(i)).isEqualTo(i);
            }
        }
    }

    private static void record(AtomicInteger running, AtomicBoolean overlapped, List<Integer> list, int n) {
        if (running.incrementAndGet() != 1) {
            overlapped.set(true);
        }
        list.add(n);
        running.decrementAndGet();
    }
}
