package io.corral.client;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

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
        int missed = 1;
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
