package io.corral.log;

import net.openhft.chronicle.queue.RollCycle;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * What the log knows of where its entries are: the last valid entry, a sparse zxid -> Chronicle index map (so that a
 * read need not scan from the start), the index ranges truncation markers voided, and per file (cycle) the greatest
 * valid zxid (which files a purge may delete), and the last excerpt of any kind (where a later scan may resume, see
 * {@link IndexCheckpoint}). Recovery fills it from the files; appends, markers and purges keep it up to date. Written
 * under the log's lock; readers use it without the lock (volatile and concurrent fields).
 */
final class LogIndex {
    /** Every this many valid entries the zxid -> Chronicle index map gets a sample, so readFrom need not scan far. */
    static final int SAMPLE_INTERVAL = 1024;
    static final long NONE = -1;

    /** What the log knows of one cycle's file. */
    static final class CycleInfo {
        final int cycle;
        final Path file;
        /** The greatest zxid of a valid (not voided) entry in this file, or NONE. */
        long maxValidZxid = NONE;

        CycleInfo(int cycle, Path file) {
            this.cycle = cycle;
            this.file = file;
        }
    }

    private final RollCycle rollCycle;
    private volatile long lastZxid;
    private long lastValidIndex = NONE;
    private int sinceSample;
    /** The last excerpt (entry or marker): its Chronicle index, length and stored checksum, or NONE. */
    private long lastExcerpt = NONE;
    private int lastExcerptLength;
    private int lastExcerptCrc;
    /** Voided index ranges [from, to): copy-on-write so readers need no lock. */
    private volatile long[][] voids = new long[0][];
    /** Sparse map zxid -> Chronicle index of valid entries; holds at least the first valid entry of each cycle. */
    private final ConcurrentSkipListMap<Long, Long> samples = new ConcurrentSkipListMap<>();
    /** Cycle number -> what we know of that cycle's file. */
    private final ConcurrentSkipListMap<Integer, CycleInfo> cycles = new ConcurrentSkipListMap<>();

    LogIndex(RollCycle rollCycle) {
        this.rollCycle = rollCycle;
    }

    /** The last valid zxid (0 when there is none). */
    long lastZxid() {
        return lastZxid;
    }

    /** The Chronicle index of the last valid entry, or NONE. */
    long lastValidIndex() {
        return lastValidIndex;
    }

    /** The Chronicle index of the last excerpt of any kind, or NONE. */
    long lastExcerpt() {
        return lastExcerpt;
    }

    /** Records the excerpt {@code buf[0, len)} at {@code index} as the last one. */
    void onExcerpt(long index, byte[] buf, int len) {
        lastExcerpt = index;
        lastExcerptLength = len;
        lastExcerptCrc = EntryCodec.storedCrc(buf, len);
    }

    /** Whether {@code buf[0, len)} read at {@code index} is the excerpt recorded as the last one. */
    boolean isLastExcerpt(long index, byte[] buf, int len) {
        return index == lastExcerpt && len == lastExcerptLength && EntryCodec.storedCrc(buf, len) == lastExcerptCrc;
    }

    int cycleOf(long index) {
        return rollCycle.toCycle(index);
    }

    /** The file of the cycle of {@code index}, registered (as {@code file}) on first sight. */
    CycleInfo cycleInfo(long index, File file) {
        int cycle = rollCycle.toCycle(index);
        CycleInfo ci = cycles.get(cycle);
        if (ci == null) {
            ci = new CycleInfo(cycle, file.toPath());
            cycles.put(cycle, ci);
        }
        return ci;
    }

    void onValidEntry(long index, long zxid, CycleInfo ci) {
        if (ci.maxValidZxid == NONE || ++sinceSample >= SAMPLE_INTERVAL) {
            samples.put(zxid, index);
            sinceSample = 0;
        }
        ci.maxValidZxid = zxid;
        lastValidIndex = index;
        lastZxid = zxid;
    }

    /** Applies a marker at {@code markerIndex} that voids [voidFrom, markerIndex). */
    void applyVoid(long voidFrom, long markerIndex, long lastKeptZxid, long lastKeptIndex) {
        long[][] old = voids;
        long[][] next = Arrays.copyOf(old, old.length + 1);
        next[old.length] = new long[]{voidFrom, markerIndex};
        voids = next;
        samples.tailMap(lastKeptZxid, false).clear();
        int voidCycle = rollCycle.toCycle(voidFrom);
        for (CycleInfo ci : cycles.tailMap(voidCycle, true).values()) {
            boolean keepsLast = ci.cycle == voidCycle && lastKeptIndex >= 0
                    && rollCycle.toCycle(lastKeptIndex) == voidCycle;
            ci.maxValidZxid = keepsLast ? lastKeptZxid : NONE;
        }
        lastZxid = lastKeptZxid;
        lastValidIndex = lastKeptIndex;
        sinceSample = 0;
    }

    boolean isVoided(long index) {
        for (long[] v : voids) {
            if (index >= v[0] && index < v[1]) {
                return true;
            }
        }
        return false;
    }

    /** The sample at or before {@code zxid} (its zxid and index), or null. */
    Map.Entry<Long, Long> sampleAtOrBefore(long zxid) {
        return samples.floorEntry(zxid);
    }

    /** The smallest zxid still held (0 when none). */
    long firstZxid() {
        Map.Entry<Long, Long> first = samples.firstEntry();
        return first == null ? 0 : first.getKey();
    }

    int fileCount() {
        return cycles.size();
    }

    /** The newest cycle seen, or {@code Integer.MIN_VALUE}. */
    int newestCycle() {
        return cycles.isEmpty() ? Integer.MIN_VALUE : cycles.lastKey();
    }

    /** The files, oldest first. */
    List<Path> files() {
        List<Path> files = new ArrayList<>();
        for (CycleInfo ci : cycles.values()) {
            files.add(ci.file);
        }
        return files;
    }

    /**
     * Forgets, oldest first, the files before cycle {@code newest} whose entries all have zxids up to {@code zxid},
     * handing each to {@code delete} before it is forgotten; returns them.
     */
    List<Path> dropFilesUpTo(long zxid, int newest, Consumer<Path> delete) {
        List<Path> dropped = new ArrayList<>();
        Iterator<CycleInfo> it = cycles.values().iterator();
        while (it.hasNext()) {
            CycleInfo ci = it.next();
            if (ci.cycle >= newest || ci.maxValidZxid > zxid) {
                break;
            }
            delete.accept(ci.file);
            it.remove();
            dropped.add(ci.file);
            forgetSamplesUpTo(ci.cycle);
        }
        return dropped;
    }

    /** Writes what this index knows, for {@link #readFrom}; file names without their directory. */
    void writeTo(DataOutputStream out) throws IOException {
        out.writeLong(lastZxid);
        out.writeLong(lastValidIndex);
        out.writeInt(sinceSample);
        out.writeLong(lastExcerpt);
        out.writeInt(lastExcerptLength);
        out.writeInt(lastExcerptCrc);
        long[][] v = voids;
        out.writeInt(v.length);
        for (long[] range : v) {
            out.writeLong(range[0]);
            out.writeLong(range[1]);
        }
        out.writeInt(samples.size());
        for (Map.Entry<Long, Long> e : samples.entrySet()) {
            out.writeLong(e.getKey());
            out.writeLong(e.getValue());
        }
        out.writeInt(cycles.size());
        for (CycleInfo ci : cycles.values()) {
            out.writeInt(ci.cycle);
            out.writeLong(ci.maxValidZxid);
            out.writeUTF(ci.file.getFileName().toString());
        }
    }

    /** An index as {@link #writeTo} wrote it, its files in {@code dir}. */
    static LogIndex readFrom(DataInputStream in, RollCycle rollCycle, Path dir) throws IOException {
        LogIndex index = new LogIndex(rollCycle);
        index.lastZxid = in.readLong();
        index.lastValidIndex = in.readLong();
        index.sinceSample = in.readInt();
        index.lastExcerpt = in.readLong();
        index.lastExcerptLength = in.readInt();
        index.lastExcerptCrc = in.readInt();
        long[][] v = new long[in.readInt()][];
        for (int i = 0; i < v.length; i++) {
            v[i] = new long[]{in.readLong(), in.readLong()};
        }
        index.voids = v;
        for (int n = in.readInt(); n > 0; n--) {
            index.samples.put(in.readLong(), in.readLong());
        }
        for (int n = in.readInt(); n > 0; n--) {
            int cycle = in.readInt();
            long maxValidZxid = in.readLong();
            CycleInfo ci = new CycleInfo(cycle, dir.resolve(in.readUTF()));
            ci.maxValidZxid = maxValidZxid;
            index.cycles.put(cycle, ci);
        }
        return index;
    }

    /**
     * Forgets the oldest files that are gone (a purge after this index was written); false when a file is missing
     * after one that is there, or the last excerpt's file is gone: then this index does not describe the directory.
     */
    boolean forgetPurgedFiles() {
        boolean seenPresent = false;
        Iterator<CycleInfo> it = cycles.values().iterator();
        while (it.hasNext()) {
            CycleInfo ci = it.next();
            if (Files.exists(ci.file)) {
                seenPresent = true;
            } else if (seenPresent) {
                return false;
            } else {
                it.remove();
                forgetSamplesUpTo(ci.cycle);
            }
        }
        return lastExcerpt == NONE || cycles.containsKey(rollCycle.toCycle(lastExcerpt));
    }

    /** Drops the samples in files up to {@code cycle}, which are gone. */
    private void forgetSamplesUpTo(int cycle) {
        samples.values().removeIf(index -> rollCycle.toCycle(index) <= cycle);
    }
}
