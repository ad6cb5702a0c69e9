package io.corral.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Zeros written ahead of the log's write position, so that later appends land in blocks the file system has already
 * allocated. Chronicle's files are sparse: otherwise an append keeps allocating new blocks, and the sync after it
 * must also commit the file system's journal, which makes some syncs take tens of milliseconds (ZooKeeper
 * pre-allocates its log for the same reason). Only bytes past everything written are zeroed, within the file's
 * current length; Chronicle reads zeros there either way. The caller holds the log's lock.
 */
final class Preallocation {
    /** Blocks allocated ahead of the write position: at least this much... */
    static final long LOW_WATER = 1 << 20;
    /** ...topped up to this much at a time. */
    static final long AHEAD = 4 << 20;
    private static final byte[] ZEROS = new byte[64 * 1024];

    private Path file;
    /** {@link #file} is zero-filled from the write position up to here. */
    private long zeroedUpTo;

    /** Zero-fills up to {@link #AHEAD} past {@code writePosition} once less than {@link #LOW_WATER} is left. */
    void topUp(Path appendFile, FileChannel channel, long writePosition) throws IOException {
        if (!appendFile.equals(file)) {
            file = appendFile;
            zeroedUpTo = 0;
        }
        long from = Math.max(zeroedUpTo, writePosition);
        if (from - writePosition >= LOW_WATER) {
            return;
        }
        long to = Math.min(writePosition + AHEAD, channel.size());
        for (long at = from; at < to; ) {
            int n = (int) Math.min(ZEROS.length, to - at);
            at += channel.write(ByteBuffer.wrap(ZEROS, 0, n), at);
        }
        zeroedUpTo = Math.max(zeroedUpTo, to);
    }
}
