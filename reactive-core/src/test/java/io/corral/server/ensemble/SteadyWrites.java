package io.corral.server.ensemble;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

import static org.awaitility.Awaitility.await;

import io.corral.server.compat.ZkClients;

/**
 * Clients of the official ZooKeeper library, each keeping one setData of its own znode in flight all the time, with
 * every write's start and end recorded: which failed, which connection states the clients saw, and how long writes
 * paused (the longest time with no write completing, and the slowest write) over a window.
 */
final class SteadyWrites implements AutoCloseable {

    /** one write: started and ended (System.nanoTime), and its result code */
    record Write(int client, long started, long ended, int rc) {
    }

    private final List<ZooKeeper> clients = new ArrayList<>();
    // not copy-on-write: over a long run each add would copy every write before it, in this JVM beside the servers
    private final Queue<Write> writes = new ConcurrentLinkedQueue<>();
    private final List<String> states = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean running = true;

    /** one client per connect string, each on its own server */
    SteadyWrites(List<String> connectStrings) throws Exception {
        for (int i = 0; i < connectStrings.size(); i++) {
            int client = i;
            ZooKeeper zk = ZkClients.connect(connectStrings.get(i), 20_000, e -> {
                if (e.getType() == org.apache.zookeeper.Watcher.Event.EventType.None
                        && e.getState() != KeeperState.SyncConnected) {
                    states.add("client " + client + ": " + e.getState());
                }
            });
            clients.add(zk);
            zk.create("/steady-" + i, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        for (int i = 0; i < clients.size(); i++) {
            next(i, 0);
        }
    }

    private void next(int client, int n) {
        if (!running) {
            return;
        }
        long started = System.nanoTime();
        inFlight.incrementAndGet();
        clients.get(client).setData("/steady-" + client, Integer.toString(n).getBytes(StandardCharsets.UTF_8), -1,
                (rc, path, ctx, stat) -> {
                    writes.add(new Write(client, started, System.nanoTime(), rc));
                    inFlight.decrementAndGet();
                    next(client, n + 1);
                }, null);
    }

    /** stops issuing writes and waits until every one in flight is answered */
    void stop() {
        running = false;
        await("every write answered").atMost(30, TimeUnit.SECONDS).pollInterval(10, TimeUnit.MILLISECONDS)
                .until(() -> inFlight.get() == 0);
    }

    /**
     * For each session none of whose writes failed, its znode's version against the number of its writes answered OK
     * (each setData adds one): a write applied twice (passed on to two leaders, say) or answered without being
     * applied shows as a difference. After {@link #stop()}. Returns the differences, empty if none.
     */
    List<String> versionsAgainstWrites() throws KeeperException, InterruptedException {
        List<String> differences = new ArrayList<>();
        for (int c = 0; c < clients.size(); c++) {
            int client = c;
            if (writes.stream().anyMatch(w -> w.client() == client && w.rc() != KeeperException.Code.OK.intValue())) {
                continue;
            }
            long ok = writes.stream().filter(w -> w.client() == client).count();
            int version = clients.get(c).exists("/steady-" + c, false).getVersion();
            if (version != ok) {
                differences.add("/steady-" + c + ": version " + version + " after " + ok + " writes answered OK");
            }
        }
        return differences;
    }

    /** how many sessions write */
    int clients() {
        return clients.size();
    }

    List<Write> writes() {
        return List.copyOf(writes);
    }

    List<Write> failed() {
        return writes.stream().filter(w -> w.rc() != KeeperException.Code.OK.intValue()).toList();
    }

    /** connection states other than SyncConnected the clients saw */
    List<String> states() {
        return List.copyOf(states);
    }

    /** the longest time within [from, to] (nanoTime) in which no write completed, in ms */
    double longestGapMillis(long from, long to) {
        return longestGapMillis(from, to, to);
    }

    /**
     * The longest time within [from, to] (nanoTime) in which no write completed, among those that began (at
     * {@code from} or at a write's completion) no later than {@code startsBy}, in ms.
     */
    double longestGapMillis(long from, long startsBy, long to) {
        return longestGapMillis(-1, from, startsBy, to);
    }

    /** As {@link #longestGapMillis(long, long, long)}, counting only client {@code client}'s writes (all if -1). */
    double longestGapMillis(int client, long from, long startsBy, long to) {
        List<Long> ends = new ArrayList<>();
        for (Write w : writes) {
            if (w.ended() >= from && w.ended() <= to && (client < 0 || w.client() == client)) {
                ends.add(w.ended());
            }
        }
        Collections.sort(ends);
        long gap = 0;
        long previous = from;
        for (long end : ends) {
            if (previous > startsBy) {
                return gap / 1e6;
            }
            gap = Math.max(gap, end - previous);
            previous = end;
        }
        if (previous <= startsBy) {
            gap = Math.max(gap, to - previous);
        }
        return gap / 1e6;
    }

    /** the slowest write that ended within [from, to], in ms */
    double slowestMillis(long from, long to) {
        return writes.stream().filter(w -> w.ended() >= from && w.ended() <= to)
                .mapToLong(w -> w.ended() - w.started()).max().orElse(0) / 1e6;
    }

    /** the median write latency over the whole run, in ms */
    double medianMillis() {
        long[] latencies = writes.stream().mapToLong(w -> w.ended() - w.started()).sorted().toArray();
        return latencies.length == 0 ? 0 : latencies[latencies.length / 2] / 1e6;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (ZooKeeper zk : clients) {
            zk.close();
        }
    }
}
