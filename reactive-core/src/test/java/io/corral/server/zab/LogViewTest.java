package io.corral.server.zab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.corral.log.LogEntry;

/**
 * The view's epoch index at start-up, found by seeking to each epoch's end: the same as reading the whole log would
 * give (the last zxid of each epoch, the snapshot's zxid among them), with a few reads per epoch.
 */
class LogViewTest {

    /** A log in a list; counts the entries its readers return. */
    private static final class ListStorage implements ZabStorage {
        private final List<LogEntry> log;
        private final long snapshotZxid;
        long entriesRead;

        ListStorage(List<LogEntry> log, long snapshotZxid) {
            this.log = log;
            this.snapshotZxid = snapshotZxid;
        }

        @Override
        public long lastZxid() {
            return Math.max(snapshotZxid, log.isEmpty() ? 0 : log.get(log.size() - 1).zxid());
        }

        @Override
        public long firstZxid() {
            return log.isEmpty() ? 0 : log.get(0).zxid();
        }

        @Override
        public long snapshotZxid() {
            return snapshotZxid;
        }

        @Override
        public Iterator<LogEntry> readAfter(long zxid) {
            Iterator<LogEntry> it = log.subList(SimStorage.firstAfter(log, zxid), log.size()).iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public LogEntry next() {
                    entriesRead++;
                    return it.next();
                }
            };
        }

        @Override
        public long acceptedEpoch() {
            return 0;
        }

        @Override
        public long currentEpoch() {
            return 0;
        }
    }

    private static LogEntry entry(long zxid) {
        return new LogEntry(zxid, 1, 1, 0, 5, new byte[0]);
    }

    /** What a scan of the whole history gives: each epoch's greatest zxid, the base's among them. */
    private static long[] scannedEnds(List<LogEntry> log, long base) {
        TreeMap<Long, Long> ends = new TreeMap<>();
        for (LogEntry e : log) {
            ends.merge(Zxid.epoch(e.zxid()), e.zxid(), Math::max);
        }
        if (base != 0) {
            ends.merge(Zxid.epoch(base), base, Math::max);
        }
        return ends.values().stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void seekingFindsEveryEpochsEndAsAScanWould() {
        SplittableRandom random = new SplittableRandom(20261204);
        for (int round = 0; round < 2_000; round++) {
            List<LogEntry> log = new ArrayList<>();
            long epoch = 0;
            int epochs = random.nextInt(0, 6);
            for (int i = 0; i < epochs; i++) {
                epoch += random.nextInt(1, 4);
                int count = random.nextInt(1, random.nextBoolean() ? 5 : 3_000);
                for (long c = 1; c <= count; c++) {
                    if (random.nextInt(10) != 0 || c == count) { // gaps: a log is not always contiguous
                        log.add(entry(Zxid.make(epoch, c)));
                    }
                }
            }
            int purged = log.isEmpty() ? 0 : random.nextInt(0, log.size());
            List<LogEntry> held = new ArrayList<>(log.subList(purged, log.size()));
            long snapshot = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> log.isEmpty() ? 0 : log.get(random.nextInt(log.size())).zxid();
                case 2 -> Zxid.make(random.nextInt(1, 20), random.nextInt(1, 100)); // anywhere, even above the log
                default -> log.isEmpty() ? 0 : log.get(log.size() - 1).zxid() + random.nextInt(0, 5);
            };
            long applied = random.nextBoolean() ? snapshot : 0;
            ListStorage storage = new ListStorage(held, snapshot);

            LogView view = new LogView(storage, applied);

            assertThat(view.epochEnds()).as("round %d", round).containsExactly(scannedEnds(held, snapshot));
            assertThat(view.lastZxid()).isEqualTo(storage.lastZxid());
        }
    }

    @Test
    void aLongLogIsNotReadWhole() {
        List<LogEntry> log = new ArrayList<>();
        for (long epoch = 1; epoch <= 3; epoch++) {
            for (long c = 1; c <= 100_000; c++) {
                log.add(entry(Zxid.make(epoch, c)));
            }
        }
        ListStorage storage = new ListStorage(log, 0);

        LogView view = new LogView(storage, 0);

        assertThat(view.epochEnds()).containsExactly(
                Zxid.make(1, 100_000), Zxid.make(2, 100_000), Zxid.make(3, 100_000));
        assertThat(storage.entriesRead).isLessThan(3 * 34); // each seek reads one entry: about 32 per epoch
    }
}
