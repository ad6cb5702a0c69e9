package io.corral.server.net;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** maxClientCnxns: at most this many concurrent connections per client IP address (0 = no limit). */
final class ConnectionLimiter {
    private final int max;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> counts = new ConcurrentHashMap<>();

    ConnectionLimiter(int max) {
        this.max = max;
    }

    boolean tryAcquire(InetAddress address) {
        AtomicInteger count = counts.computeIfAbsent(address, a -> new AtomicInteger());
        if (count.incrementAndGet() > max && max > 0) {
            count.decrementAndGet();
            return false;
        }
        return true;
    }

    void release(InetAddress address) {
        counts.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
    }
}
