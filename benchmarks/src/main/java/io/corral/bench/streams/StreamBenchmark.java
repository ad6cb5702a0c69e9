package io.corral.bench.streams;

import io.corral.client.Change;
import io.corral.client.CorralClient;
import io.corral.client.WatchMode;
import io.corral.server.CorralServer;
import io.corral.server.config.ServerConfig;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Resumable watch streams on a standalone Corral server in this JVM (loopback):
 * <ol>
 * <li>fan-out: {@code -Dsubscribers} streams (over {@code -Dconnections} client connections) on one node while one
 * writer sets it {@code -Drate} times a second for {@code -Dseconds}; each change's latency counts from the moment its
 * write was sent (its data holds that time) to its delivery to the subscriber;</li>
 * <li>catch-up: {@code -Dchanges} changes written first, then one stream from before them, timed until it has all.</li>
 * </ol>
 * {@code java -cp benchmarks/target/corral-benchmarks.jar io.corral.bench.streams.StreamBenchmark}
 */
public final class StreamBenchmark {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private StreamBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int subscribers = Integer.getInteger("subscribers", 1000);
        int connections = Integer.getInteger("connections", 50);
        int rate = Integer.getInteger("rate", 200);
        int seconds = Integer.getInteger("seconds", 10);
        int changes = Integer.getInteger("changes", 100_000);
        Path dir = Files.createTempDirectory("corral-stream-bench-");
        CorralServer server = CorralServer.start(ServerConfig.parse(Map.of("clientPort", "0",
                "clientPortAddress", "127.0.0.1", "dataDir", dir.toString(),
                "forceSync", System.getProperty("forceSync", "yes"))));
        String connect = "127.0.0.1:" + server.clientAddress().getPort();
        try {
            fanOut(connect, subscribers, connections, rate, seconds);
            catchUp(connect, changes);
        } finally {
            server.close();
        }
        System.exit(0);
    }

    private static void fanOut(String connect, int subscribers, int connections, int rate, int seconds)
            throws Exception {
        CorralClient writer = CorralClient.connect(connect).block(WAIT);
        writer.create("/fan", new byte[8]).block(WAIT);
        List<CorralClient> clients = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            clients.add(CorralClient.connect(connect).block(WAIT));
        }
        int writes = rate * seconds;
        Histogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
        Histogram acked = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
        AtomicLong delivered = new AtomicLong();
        CountDownLatch done = new CountDownLatch(subscribers);
        List<Disposable> streams = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            streams.add(clients.get(i % connections).watch("/fan", WatchMode.NODE, CorralClient.NOW)
                    .take(writes)
                    .subscribe(change -> {
                        latency.recordValue(Math.max(0, System.nanoTime() - ByteBuffer.wrap(change.data()).getLong()));
                        delivered.incrementAndGet();
                    }, e -> {
                        System.err.println("stream failed: " + e);
                        done.countDown();
                    }, done::countDown));
        }
        writer.sync("/fan").block(WAIT); // every subscribe is answered before the first write (FIFO per server)
        for (CorralClient c : clients) {
            c.sync("/fan").block(WAIT);
        }
        long started = System.nanoTime();
        Flux.interval(Duration.ofNanos(TimeUnit.SECONDS.toNanos(1) / rate)).take(writes)
                .onBackpressureBuffer(writes) // paced; a write waits only for the client's request window
                .flatMap(i -> {
                    long sent = System.nanoTime();
                    return writer.setData("/fan", ByteBuffer.allocate(8).putLong(sent).array())
                            .doOnNext(stat -> acked.recordValue(System.nanoTime() - sent)).then();
                }, 256)
                .blockLast(Duration.ofSeconds(seconds * 10L));
        long written = System.nanoTime();
        boolean all = done.await(120, TimeUnit.SECONDS);
        long finished = System.nanoTime();
        double secondsTaken = (finished - started) / 1e9;
        System.out.printf(Locale.ROOT, "fan-out: %d streams over %d connections, %d writes at %d/s (written in %.1f s)"
                        + "%n  delivered %,d changes%s in %.1f s: %,.0f changes/s%n"
                        + "  latency from write sent to delivery: median %.2f ms, p99 %.2f ms, p99.9 %.2f ms,"
                        + " max %.2f ms%n"
                        + "  (the writes themselves, sent to acknowledged: median %.2f ms, p99 %.2f ms)%n",
                subscribers, connections, writes, rate, (written - started) / 1e9, delivered.get(),
                all ? "" : " (NOT ALL)", secondsTaken, delivered.get() / secondsTaken,
                latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6,
                latency.getValueAtPercentile(99.9) / 1e6, latency.getMaxValue() / 1e6,
                acked.getValueAtPercentile(50) / 1e6, acked.getValueAtPercentile(99) / 1e6);
        streams.forEach(Disposable::dispose);
        for (CorralClient c : clients) {
            c.close().block(WAIT);
        }
        writer.close().block(WAIT);
    }

    private static void catchUp(String connect, int changes) {
        CorralClient writer = CorralClient.connect(connect).block(WAIT);
        long from = writer.create("/catch", new byte[0]).block(WAIT).stat().czxid();
        long writeStart = System.nanoTime();
        Flux.range(0, changes)
                .flatMap(i -> writer.setData("/catch", ByteBuffer.allocate(8).putLong(i).array()), 500)
                .blockLast(Duration.ofMinutes(10));
        double writing = (System.nanoTime() - writeStart) / 1e9;
        CorralClient reader = CorralClient.connect(connect).block(WAIT);
        long started = System.nanoTime();
        Change last = reader.watch("/catch", WatchMode.NODE, from).take(changes).blockLast(Duration.ofMinutes(10));
        double took = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "catch-up: %,d changes written in %.1f s; a stream from before them had all "
                        + "(last zxid 0x%x) in %.2f s: %,.0f changes/s%n", changes, writing, last.zxid(), took,
                changes / took);
        reader.close().block(WAIT);
        writer.close().block(WAIT);
    }
}
