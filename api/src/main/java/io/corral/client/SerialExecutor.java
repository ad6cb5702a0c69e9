package io.corral.client;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on whichever thread submits while no other task runs (a lock-free
 * work-in-progress drain). All mutable state of a client is touched only from tasks of its executor, so it needs no
 * locks and nothing ever waits.
 */
final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();

    @Override
    public void execute(Runnable task) {
        tasks.offer(task);
        if (wip.getAndIncrement() != 0) {
            return;
        }
        drain(1);
    }

    /**
     * {@code task.accept(a, b)} as a task: at once on this thread when no other task runs or waits (then nothing is
     * allocated for it: the path of every inbound frame), otherwise queued behind the others.
     */
    <A, B> void execute(BiConsumer<A, B> task, A a, B b) {
        if (!wip.compareAndSet(0, 1)) {
            execute(() -> task.accept(a, b));
            return;
        }
        try {
            task.accept(a, b);
        } catch (Throwable e) {
            log.error("client task failed", e);
        }
        drain(1);
    }

    /** Runs the queued tasks until none is left; {@code missed}: the submissions this thread answers for. */
    private void drain(int missed) {
        do {
            Runnable t;
            while ((t = tasks.poll()) != null) {
                try {
                    t.run();
                } catch (Throwable e) {
                    log.error("client task failed", e);
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }
}
