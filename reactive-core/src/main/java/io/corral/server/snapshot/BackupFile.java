package io.corral.server.snapshot;

import io.corral.log.CloseableIterator;
import io.corral.log.LogEntry;
import io.corral.log.TxnLog;
import io.corral.server.tree.DataTree;
import io.corral.server.txn.TxnHeader;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * A backup of a running server, as the AdminServer's {@code snapshot} command streams it and its {@code restore}
 * command takes it back: a fuzzy {@link TreeSnapshot} (taken while writes go on) followed by the log's txns from its
 * start zxid up to the zxid applied when its last node was serialised. Replayed over the snapshot, as recovery
 * replays a log, they give the state of that one zxid: the backup is consistent, and holds every write acknowledged
 * before it began.
 *
 * <pre>
 * header : magic "CBAK" i32 | version i32 (1)
 * tree   : a TreeSnapshot body (format 2): its start zxid, sessions and nodes
 * txns   : per txn, 1 i8 | zxid i64 | sessionId i64 | cxid i32 | time i64 | type i32 | length i32 | body
 * end    : 0 i8 | zxid of the state i64 | crc32c i32 of every byte before it
 * </pre>
 */
public final class BackupFile {
    static final int MAGIC = 0x4342414B; // "CBAK"
    static final int VERSION = 1;
    private static final int TRAILER = 12;
    /** A txn body is at most jute.maxbuffer-sized; a longer length means a damaged file. */
    private static final int MAX_BODY = 1 << 30;

    private BackupFile() {
    }

    /** A backup written to a file: the zxid of the state it holds and its size in bytes. */
    public record Written(Path file, long zxid, long size) {
    }

    /**
     * Writes the backup whose tree {@code feed} brings, then the txns of {@code txnLog} that make it consistent
     * (the writer's thread; the sequencer feeds the slices meanwhile).
     *
     * @throws IOException when the log no longer holds every txn it needs (purged meanwhile), or the feed was
     *                     abandoned, or the disk fails
     */
    public static Written write(Path file, SliceFeed feed, TxnLog txnLog) throws IOException {
        CRC32C crc = new CRC32C();
        long zxid;
        try (OutputStream raw = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(raw, crc),
                     1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            feed.copyTo(out);
            TreeSnapshot tree = feed.snapshot();
            zxid = tree.endZxid();
            writeTxns(out, txnLog, tree.startZxid(), zxid);
            out.writeByte(0);
            out.writeLong(zxid);
            out.flush(); // every byte before the checksum has gone through it
            raw.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        }
        return new Written(file, zxid, Files.size(file));
    }

    private static void writeTxns(DataOutputStream out, TxnLog txnLog, long start, long end) throws IOException {
        long previous = start;
        if (end > start) {
            try (CloseableIterator<LogEntry> entries = txnLog.readFrom(start)) {
                while (previous < end && entries.hasNext()) {
                    LogEntry entry = entries.next();
                    if (!follows(previous, entry.zxid())) {
                        break;
                    }
                    out.writeByte(1);
                    out.writeLong(entry.zxid());
                    out.writeLong(entry.sessionId());
                    out.writeInt(entry.cxid());
                    out.writeLong(entry.time());
                    out.writeInt(entry.type());
                    out.writeInt(entry.body().length);
                    out.write(entry.body());
                    previous = entry.zxid();
                }
            }
        }
        if (previous != end) {
            throw new IOException("the log no longer holds every txn from 0x" + Long.toHexString(start) + " to 0x"
                    + Long.toHexString(end) + " (it goes on after 0x" + Long.toHexString(previous)
                    + "): purged while the backup was taken? Take it again");
        }
    }

    /** Whether {@code zxid} comes right after {@code previous} in a history: the next counter, or a new epoch's first. */
    static boolean follows(long previous, long zxid) {
        return zxid == previous + 1
                || TxnHeader.epochOf(zxid) > TxnHeader.epochOf(previous) && TxnHeader.counterOf(zxid) == 1;
    }

    /**
     * Checks a backup whole (its checksum, header and trailer) and loads its tree into a new {@link DataTree}; the
     * txns after it are then read one at a time with {@link Restorable#nextTxn()}. Reads the file twice; any thread
     * but an event loop.
     *
     * @throws IOException naming what is wrong when the file is not a whole, undamaged backup
     */
    public static Restorable open(Path file) throws IOException {
        long zxid = verify(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        try {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException("not a Corral backup (version " + VERSION + ")");
            }
            DataTree tree = new DataTree();
            TreeSnapshot.Restored restored = TreeSnapshot.read(in, tree);
            tree.setLastAppliedZxid(restored.startZxid());
            tree.digestSettlesAt(zxid); // its txns replayed over it, the tree is the state of the backup's zxid
            return new Restorable(new LoadedSnapshot(tree, restored.startZxid(), restored.sessions(), null), zxid,
                    in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** The zxid of the state a whole backup holds; fails naming what is wrong otherwise. */
    private static long verify(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8 + TRAILER) {
                throw new IOException("not a Corral backup: " + size + " bytes");
            }
            ByteBuffer header = ByteBuffer.allocate(8);
            readFully(channel, header, 0);
            if (header.getInt(0) != MAGIC) {
                throw new IOException("not a Corral backup (no CBAK magic; a ZooKeeper snapshot cannot be restored)");
            }
            if (header.getInt(4) != VERSION) {
                throw new IOException("a backup of version " + header.getInt(4) + "; this build reads version "
                        + VERSION);
            }
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER);
            readFully(channel, trailer, size - TRAILER);
            CRC32C crc = new CRC32C();
            InputStream body = Channels.newInputStream(channel.position(0));
            byte[] buf = new byte[1 << 16];
            long left = size - 4;
            while (left > 0) {
                int n = body.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException("the backup ends early");
                }
                crc.update(buf, 0, n);
                left -= n;
            }
            if ((int) crc.getValue() != trailer.getInt(8)) {
                throw new IOException("the backup fails its CRC32C check: it is damaged or cut short");
            }
            return trailer.getLong(0);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            if (channel.read(buf, position + buf.position()) < 0) {
                throw new IOException("unexpected end of the backup");
            }
        }
    }

    /** A checked backup: its tree loaded, its txns still to be read. Close it. */
    public static final class Restorable implements Closeable {
        private final LoadedSnapshot snapshot;
        private final long zxid;
        private final DataInputStream txns;

        private Restorable(LoadedSnapshot snapshot, long zxid, DataInputStream txns) {
            this.snapshot = snapshot;
            this.zxid = zxid;
            this.txns = txns;
        }

        /** The tree and sessions as the snapshot part holds them, at its start zxid. */
        public LoadedSnapshot snapshot() {
            return snapshot;
        }

        /** The zxid of the state the backup holds once its txns are applied. */
        public long zxid() {
            return zxid;
        }

        /** The next txn to replay, or null after the last. */
        public LogEntry nextTxn() throws IOException {
            int marker = txns.readByte();
            if (marker == 0) {
                return null;
            }
            if (marker != 1) {
                throw new IOException("bad txn marker " + marker + " in the backup");
            }
            long txnZxid = txns.readLong();
            long sessionId = txns.readLong();
            int cxid = txns.readInt();
            long time = txns.readLong();
            int type = txns.readInt();
            int length = txns.readInt();
            if (length < 0 || length > MAX_BODY) {
                throw new IOException("bad txn length " + length + " in the backup");
            }
            byte[] body = new byte[length];
            txns.readFully(body);
            return new LogEntry(txnZxid, sessionId, cxid, time, type, body);
        }

        @Override
        public void close() throws IOException {
            txns.close();
        }
    }
}
