package io.corral.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Snapshot files: {@code snapshot.<zxid as 16 hex digits>}, each a stream of opaque records produced by the
 * server, framed so that a torn or damaged file is recognised.
 *
 * <pre>
 * header  : magic "CSNP" i32 | version i32 (1) | lastZxid i64                     (16 bytes, big-endian)
 * body    : whatever the {@link SnapshotWriter} wrote
 * trailer : bodyLength i64 | crc32c i32 of header + body + bodyLength | magic "CEND" i32   (16 bytes)
 * </pre>
 *
 * <h2>API</h2>
 * <ul>
 *   <li>{@link #write(Path, long, SnapshotWriter)} hands the body writer a {@link java.io.DataOutputStream}
 *       ({@code interface SnapshotWriter { void write(DataOutputStream out) throws IOException; }}), writes a
 *       temp file, forces it, renames it into place and forces the directory: a snapshot file is either whole
 *       or absent.</li>
 *   <li>{@link #readNewestValid(Path, SnapshotReader)} reads the newest snapshot whose checksum verifies with a
 *       {@link SnapshotReader} ({@code T read(DataInputStream body)}), each file once: the checksum is computed
 *       as the body is read; a bad file is reported (WARN, by name), what was read of it dropped, and the one
 *       before it is tried.</li>
 *   <li>{@link #purge(Path, Path, TxnLog, int)} keeps the newest {@code retainCount} (at least 3) snapshots and
 *       deletes the older ones and the log files only they needed.</li>
 * </ul>
 */
public final class SnapshotFile {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFile.class);

    static final int MAGIC = 0x43534E50; // "CSNP"
    static final int END_MAGIC = 0x43454E44; // "CEND"
    static final int VERSION = 1;
    static final int HEADER_SIZE = 16;
    static final int TRAILER_SIZE = 16;
    /** The fewest snapshots {@link #purge} keeps, whatever it is asked. */
    public static final int MIN_RETAIN = 3;

    static final String PREFIX = "snapshot.";
    private static final Pattern NAME = Pattern.compile("snapshot\\.([0-9a-f]{1,16})");

    private SnapshotFile() {
    }

    /** The file name of the snapshot taken at {@code lastZxid}. */
    public static String fileName(long lastZxid) {
        return PREFIX + String.format("%016x", lastZxid);
    }

    /**
     * Writes {@code snapshot.<hex lastZxid>} in {@code dir} atomically and durably.
     *
     * @return the snapshot file
     */
    public static Path write(Path dir, long lastZxid, SnapshotWriter body) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(fileName(lastZxid));
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        boolean done = false;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            CRC32C crc = new CRC32C();
            Counting counting = new Counting(Channels.newOutputStream(ch), crc);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(counting, 64 * 1024));
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(lastZxid);
            out.flush();
            long bodyStart = counting.count;
            body.write(new DataOutputStream(new NonClosing(out)));
            out.flush();
            long bodyLength = counting.count - bodyStart;
            out.writeLong(bodyLength);
            out.flush();
            int checksum = (int) crc.getValue();
            out.writeInt(checksum);
            out.writeInt(END_MAGIC);
            out.flush();
            ch.force(true);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            TxnLog.forceDirectory(dir);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
        LOG.info("Wrote snapshot {} ({} bytes)", target, Files.size(target));
        return target;
    }

    /**
     * Deletes the temporary files of snapshots that a crash cut short (a finished snapshot is renamed from its
     * temporary file, so any temporary file found while no snapshot is being written is garbage). Call it at
     * start-up, before snapshots are taken.
     *
     * @return the files deleted
     */
    public static List<Path> removeTemporaries(Path dir) {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return removed;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "." + PREFIX + "*.tmp")) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
                removed.add(p);
                LOG.warn("Removed {}, left by a snapshot that did not finish", p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove unfinished snapshots in " + dir, e);
        }
        return removed;
    }

    /** The snapshot files in {@code dir}, newest (highest zxid) first; empty when the directory does not exist. */
    public static List<Path> list(Path dir) {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path p : ds) {
                if (NAME.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list snapshots in " + dir, e);
        }
        files.sort(Comparator.comparingLong(SnapshotFile::zxidOf).reversed());
        return files;
    }

    /** The zxid in a snapshot file's name. */
    public static long zxidOf(Path snapshot) {
        Matcher m = NAME.matcher(snapshot.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a snapshot file name: " + snapshot);
        }
        return Long.parseUnsignedLong(m.group(1), 16);
    }

    /**
     * The newest snapshot whose checksum verifies, read by {@code reader}: each file is read once, its checksum
     * computed as the reader goes ({@link CheckedSnapshotBody}); what the reader made of a file whose checksum then
     * fails is dropped, the file is reported (WARN, by name) and the one before it is tried. Empty when no snapshot
     * verifies.
     *
     * @throws UncheckedIOException when the reader fails on a file whose checksum matches (written by another
     *                              version?): falling back to an older snapshot could lose what the log no longer
     *                              holds
     */
    public static <T> Optional<Snapshot<T>> readNewestValid(Path dir, SnapshotReader<T> reader) {
        for (Path p : list(dir)) {
            CheckedSnapshotBody body;
            try {
                body = CheckedSnapshotBody.open(p);
            } catch (IOException e) {
                warnInvalid(p, e.getMessage());
                continue;
            }
            try (body) {
                T content;
                try {
                    content = reader.read(body.in());
                } catch (IOException | RuntimeException e) {
                    String problem = body.problem();
                    if (problem == null) {
                        throw new UncheckedIOException("Cannot read snapshot " + p + " although its checksum matches",
                                e instanceof IOException io ? io : new IOException(e));
                    }
                    warnInvalid(p, problem + "; the reader failed with " + e);
                    continue;
                }
                String problem = body.problem();
                if (problem == null) {
                    return Optional.of(new Snapshot<>(zxidOf(p), p, content));
                }
                warnInvalid(p, problem);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close snapshot " + p, e);
            }
        }
        return Optional.empty();
    }

    /**
     * Reads one snapshot file whole with {@code reader}, its checksum verified (the offline tools' way in).
     *
     * @throws IOException naming the file and what is wrong when it is damaged or the reader fails
     */
    public static <T> T read(Path file, SnapshotReader<T> reader) throws IOException {
        CheckedSnapshotBody opened;
        try {
            opened = CheckedSnapshotBody.open(file);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        try (CheckedSnapshotBody body = opened) {
            T content;
            try {
                content = reader.read(body.in());
            } catch (IOException | RuntimeException e) {
                String problem = body.problem();
                throw new IOException(file + ": " + (problem != null ? problem : e.getMessage()), e);
            }
            String problem = body.problem();
            if (problem != null) {
                throw new IOException(file + ": " + problem);
            }
            return content;
        }
    }

    private static void warnInvalid(Path p, String problem) {
        LOG.warn("Snapshot {} is not valid ({}); falling back to an older snapshot", p, problem);
    }

    /** Null when the file is a whole snapshot with a good checksum, else what is wrong with it. */
    static String verify(Path p) {
        try (CheckedSnapshotBody body = CheckedSnapshotBody.open(p)) {
            return body.problem();
        } catch (IOException e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    /**
     * A file's header and trailer as read, before the body is: {@code problem} is null when they are whole and
     * agree with the file's name and size.
     */
    record Frame(ByteBuffer header, long bodyLength, int checksum, String problem) {
    }

    static Frame readFrame(FileChannel ch, Path p) throws IOException {
        long size = ch.size();
        if (size < HEADER_SIZE + TRAILER_SIZE) {
            return new Frame(null, 0, 0, "too short: " + size + " bytes");
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
        readFully(ch, header, 0);
        header.flip();
        if (header.getInt(0) != MAGIC) {
            return new Frame(null, 0, 0, "bad magic");
        }
        int version = header.getInt(4);
        if (version != VERSION) {
            return new Frame(null, 0, 0, "unknown version " + version);
        }
        long zxid = header.getLong(8);
        if (zxid != zxidOf(p)) {
            return new Frame(null, 0, 0, "header zxid 0x" + Long.toHexString(zxid) + " does not match the file name");
        }
        ByteBuffer trailer = ByteBuffer.allocate(TRAILER_SIZE);
        readFully(ch, trailer, size - TRAILER_SIZE);
        trailer.flip();
        long bodyLength = trailer.getLong();
        int checksum = trailer.getInt();
        if (trailer.getInt() != END_MAGIC) {
            return new Frame(null, 0, 0, "no trailer (torn write?)");
        }
        if (bodyLength != size - HEADER_SIZE - TRAILER_SIZE) {
            return new Frame(null, 0, 0, "body length " + bodyLength + " does not match the file size " + size);
        }
        return new Frame(header, bodyLength, checksum, null);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    /**
     * Keeps the newest {@code retainCount} snapshots (at least {@value #MIN_RETAIN}), deletes the older ones, and
     * purges the log files holding only entries up to the oldest kept snapshot, which no kept snapshot needs.
     * Nothing is purged from the log while there is no snapshot at all.
     *
     * @param logDir the log's directory; must be {@code log.dir()} (a guard against mixing up servers' data)
     */
    public static void purge(Path snapDir, Path logDir, TxnLog log, int retainCount) {
        if (!logDir.toAbsolutePath().normalize().equals(log.dir().toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("log dir " + logDir + " is not the open log's " + log.dir());
        }
        int retain = Math.max(MIN_RETAIN, retainCount);
        List<Path> snaps = list(snapDir);
        if (snaps.isEmpty()) {
            return;
        }
        List<Path> kept = snaps.subList(0, Math.min(retain, snaps.size()));
        for (Path old : snaps.subList(kept.size(), snaps.size())) {
            try {
                Files.deleteIfExists(old);
                LOG.info("Purged snapshot {}", old);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete snapshot " + old, e);
            }
        }
        log.purgeBefore(zxidOf(kept.get(kept.size() - 1)));
    }

    /** Counts and checksums every byte on its way to the file. */
    private static final class Counting extends FilterOutputStream {
        final CRC32C crc;
        long count;

        Counting(OutputStream out, CRC32C crc) {
            super(out);
            this.crc = crc;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            crc.update(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            crc.update(b, off, len);
            count += len;
        }
    }

    /** Keeps the body writer from closing the file under us. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
