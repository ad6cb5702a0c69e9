package io.corral.client;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the events of one watch stream that were handed to its sink but not yet delivered to the subscriber, so
 * that a slow subscriber makes the stream fail instead of growing memory without bound. Incremented on the
 * client's executor, decremented on the subscriber's thread.
 */
final class WatchBuffer {
    private final String path;
    private final int capacity;
    private final AtomicInteger waiting = new AtomicInteger();

    WatchBuffer(String path, int capacity) {
        this.path = path;
        this.capacity = capacity;
    }

    /** Takes a place for one more event; false when {@code capacity} events are waiting already. */
    boolean tryAdd() {
        if (waiting.get() >= capacity) {
            return false;
        }
        waiting.incrementAndGet(); // the only incrementer is the client's serial executor: no lost race
        return true;
    }

    /** One event reached the subscriber. */
    void delivered() {
        waiting.decrementAndGet();
    }

    WatchBufferOverflowException overflow() {
        return new WatchBufferOverflowException(path, capacity);
    }
}
