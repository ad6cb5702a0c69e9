package io.corral.server.importer;

import org.xerial.snappy.SnappyInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The names of ZooKeeper's data files ({@code snapshot.<hex zxid>}, with {@code .gz} or {@code .snappy} when
 * {@code zookeeper.snapshot.compression.method} compressed it, and {@code log.<hex zxid>}) and the stream that
 * undoes a snapshot's compression, chosen by the file's extension as ZooKeeper chooses it.
 */
final class ZkSnapshotFiles {
    static final String SNAPSHOT_PREFIX = "snapshot";
    static final String LOG_PREFIX = "log";

    private ZkSnapshotFiles() {
    }

    /** The zxid in a data file's name ({@code prefix.<hex>[.ext]}), or -1 when it is not such a name. */
    static long zxidOf(Path file, String prefix) {
        String[] parts = file.getFileName().toString().split("\\.");
        if (parts.length < 2 || !parts[0].equals(prefix)) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(parts[1], 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The files of {@code dir} named {@code prefix.<hex>...}, ascending by zxid; empty when dir is missing. */
    static List<Path> list(Path dir, String prefix) {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, prefix + ".*")) {
            for (Path p : ds) {
                if (zxidOf(p, prefix) >= 0 && Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        files.sort(Comparator.comparingLong(p -> zxidOf(p, prefix)));
        return files;
    }

    /** How the snapshot is compressed: "gz", "snappy", or "" (plain). */
    static String compressionOf(Path snapshot) {
        String name = snapshot.getFileName().toString();
        if (name.endsWith(".gz")) {
            return "gz";
        }
        return name.endsWith(".snappy") ? "snappy" : "";
    }

    /** The snapshot's bytes as ZooKeeper wrote them before compressing, buffered (mark/reset supported). */
    static InputStream open(Path snapshot) throws IOException {
        InputStream file = Files.newInputStream(snapshot);
        try {
            InputStream raw = switch (compressionOf(snapshot)) {
                case "gz" -> new GZIPInputStream(file, 64 * 1024);
                case "snappy" -> new SnappyInputStream(file);
                default -> file;
            };
            return new BufferedInputStream(raw, 64 * 1024);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }
}
