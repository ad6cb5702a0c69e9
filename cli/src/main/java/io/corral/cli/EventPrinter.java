package io.corral.cli;

import java.io.PrintStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Prints watch events as zkCli does ({@code WATCHER::} then the event, each after an empty line), from a thread of
 * its own: events arrive on the client's event loop, which must never wait for a terminal. The queue is bounded; if
 * the terminal falls that far behind, events are dropped and the count is printed with the next one.
 */
final class EventPrinter implements AutoCloseable {
    static final int CAPACITY = 10_000;

    private final BlockingQueue<ShellEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final PrintStream out;
    private final BooleanSupplier enabled;
    private final Thread thread;
    private volatile boolean closed;
    /** Events offered and events handled (printed or skipped); guarded by this. */
    private long offered;
    private long handled;

    EventPrinter(PrintStream out, BooleanSupplier enabled) {
        this.out = out;
        this.enabled = enabled;
        this.thread = new Thread(this::run, "corral-cli-events");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues the event if printing is on now, when the client receives it (so printwatches decides for the events
     * received after it, whenever the printing thread gets to them). Never blocks: called from the client's threads.
     */
    void offer(ShellEvent event) {
        if (!enabled.getAsBoolean()) {
            return;
        }
        synchronized (this) {
            if (!queue.offer(event)) {
                dropped.incrementAndGet();
                return;
            }
            offered++;
        }
    }

    /** Waits (at most {@code timeoutMs}) until every event offered so far is printed. Not for the client's threads. */
    synchronized void drain(long timeoutMs) throws InterruptedException {
        long target = offered;
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (handled < target) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }

    private void run() {
        while (true) {
            ShellEvent event;
            try {
                event = queue.take();
            } catch (InterruptedException e) {
                if (!closed) {
                    continue;
                }
                for (ShellEvent rest = queue.poll(); rest != null; rest = queue.poll()) {
                    print(rest);
                }
                return;
            }
            print(event);
        }
    }

    private void print(ShellEvent event) {
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            out.println("\n" + lost + " watch events were dropped: the terminal could not keep up");
        }
        out.println("\nWATCHER::");
        out.println("\n" + event);
        synchronized (this) {
            handled++;
            notifyAll();
        }
    }

    /** Prints what is queued, then stops the thread. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
