package io.corral.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.log.LogEntry;
import io.corral.log.LogOptions;
import io.corral.log.LogRollCycle;
import io.corral.log.TxnLog;
import io.corral.protocol.Acl;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.OpCode;
import io.corral.protocol.StreamChange;
import io.corral.protocol.StreamFrame;
import io.corral.server.txn.Txn;
import io.corral.server.txn.TxnCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The stream hub over a real txn log: the retention boundary, and flow control from a sink with little room. */
class StreamHubTest {
    private static final long FIVE_MINUTES = TimeUnit.MINUTES.toMillis(5);

    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private TxnLog log;
    private StreamHub hub;
    private long zxid;

    @BeforeEach
    void open() {
        log = TxnLog.open(dir, LogOptions.defaults().withForceSync(false).withRollCycle(LogRollCycle.FIVE_MINUTELY)
                .withClock(clock::get));
        hub = new StreamHub(log, 0);
        hub.start();
    }

    @AfterEach
    void close() {
        hub.close();
        log.close();
    }

    /** Appends n setData txns of /t (and every third one of /elsewhere), and tells the hub they are applied. */
    private void write(int n) {
        for (int i = 0; i < n; i++) {
            zxid++;
            String path = zxid % 3 == 0 ? "/elsewhere" : "/t";
            Txn txn = new Txn.SetData(path, Long.toString(zxid).getBytes(StandardCharsets.UTF_8), (int) zxid);
            log.append(new LogEntry(zxid, 1, 0, clock.get(), OpCode.SET_DATA, TxnCodec.encode(txn)));
        }
        log.sync();
        hub.applied(zxid);
    }

    @Test
    void aZxidBeforeTheOldestRetainedTxnEndsTheStreamWithHistoryCompactedNeverWithAGap() throws Exception {
        log.append(new LogEntry(++zxid, 1, 0, clock.get(), OpCode.CREATE, TxnCodec.encode(
                new Txn.Create("/t", new byte[0], Acl.OPEN_ACL_UNSAFE, 0, 1, false))));
        write(9);
        clock.addAndGet(2 * FIVE_MINUTES); // the next entries go to a new file
        write(10);
        assertThat(log.purgeBefore(10)).hasSize(1);
        long first = log.firstZxid();
        assertThat(first).isEqualTo(11);

        assertThat(hub.retains(0, zxid)).isFalse();
        assertThat(hub.retains(first - 2, zxid)).isFalse();
        assertThat(hub.retains(first - 1, zxid)).isTrue();
        assertThat(hub.retains(zxid, zxid)).isTrue();

        CollectingSink tooOld = new CollectingSink(16);
        hub.subscribe(tooOld, 1, "/t", false, false, false, first - 2);
        StreamFrame end = tooOld.frames.poll(10, TimeUnit.SECONDS);
        assertThat(end.err()).isEqualTo(ErrorCode.HISTORY_COMPACTED);
        assertThat(end.changes()).isEmpty();
        assertThat(tooOld.frames.poll(200, TimeUnit.MILLISECONDS)).isNull();

        CollectingSink justRetained = new CollectingSink(16);
        hub.subscribe(justRetained, 2, "/t", false, true, false, first - 1);
        List<Long> zxids = justRetained.take(7); // 11..20 without 12, 15, 18
        assertThat(zxids).containsExactly(11L, 13L, 14L, 16L, 17L, 19L, 20L);
    }

    @Test
    void aSinkWithLittleRoomGetsEveryChangeOnceInOrderWhileHistoryTurnsLive() throws Exception {
        write(3000);
        CollectingSink slow = new CollectingSink(4);
        CollectingSink fast = new CollectingSink(100_000);
        hub.subscribe(slow, 7, "/t", false, true, false, 0);
        hub.subscribe(fast, 8, "/", true, false, false, 1500);
        List<Long> seen = new ArrayList<>(slow.take(1000));
        write(3000); // live, while the slow one is still far behind
        seen.addAll(slow.take(4000 - 1000));
        List<Long> expected = new ArrayList<>();
        for (long z = 1; z <= 6000; z++) {
            if (z % 3 != 0) {
                expected.add(z);
            }
        }
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(slow.mostQueued.get()).isLessThanOrEqualTo(4);
        assertThat(fast.take(4500)).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1501, 6000).boxed().toList());
        assertThat(fast.frames.poll(100, TimeUnit.MILLISECONDS)).isNull();
    }

    /** A connection's stream queue with room for {@code capacity} frames; the test takes them. */
    private final class CollectingSink implements StreamSink {
        final BlockingQueue<StreamFrame> frames = new ArrayBlockingQueue<>(200_000);
        final AtomicInteger mostQueued = new AtomicInteger();
        private final int capacity;

        CollectingSink(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public boolean streamWritable() {
            return frames.size() < capacity;
        }

        @Override
        public void sendStream(StreamFrame frame) {
            frames.add(frame);
            mostQueued.accumulateAndGet(frames.size(), Math::max);
        }

        @Override
        public String remoteAddress() {
            return "test";
        }

        /** The zxids of the next n frames (each must hold changes, and not end the stream). */
        List<Long> take(int n) throws InterruptedException {
            List<Long> zxids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                StreamFrame frame = frames.poll(20, TimeUnit.SECONDS);
                assertThat(frame).as("frame %d of %d", i, n).isNotNull();
                assertThat(frame.err()).isZero();
                if (frame.changes().isEmpty()) {
                    i--; // progress
                    continue;
                }
                for (StreamChange change : frame.changes()) {
                    assertThat(change.data() == null).isEqualTo(capacity > 1000);
                }
                zxids.add(frame.zxid());
                hub.wake();
            }
            return zxids;
        }
    }
}
