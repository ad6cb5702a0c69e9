package io.corral.server.importer;

import io.corral.log.SnapshotFile;
import io.corral.server.config.DataDirectories;
import io.corral.server.session.SessionTracker;
import io.corral.server.snapshot.LoadedSnapshot;
import io.corral.server.snapshot.TreeSnapshot;
import io.corral.server.tree.DataTree;
import io.corral.server.tree.TreeLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Writes an imported tree as a Corral data directory: one Corral snapshot at the last imported zxid (the txn log
 * starts empty; the server continues the zxids from there). It is written into a staging directory beside the
 * target, loaded back the way the server loads it and compared with what was imported, and only then renamed into
 * place, so a failure leaves nothing behind.
 */
final class CorralDataDirectoryWriter {
    /** The secret ZooKeeper mixes into a session's password: seed = session id XOR this, 16 random bytes. */
    private static final long ZK_PASSWORD_SECRET = 0xB3415C00L;
    private static final int PASSWORD_LENGTH = 16;

    private CorralDataDirectoryWriter() {
    }

    /**
     * The password ZooKeeper gave a session: its clients reconnect with it, so Corral must know the same one (it
     * keeps each session's password, where ZooKeeper derives it from the id).
     */
    static byte[] zooKeeperPassword(long sessionId) {
        byte[] password = new byte[PASSWORD_LENGTH];
        new Random(sessionId ^ ZK_PASSWORD_SECRET).nextBytes(password);
        return password;
    }

    /** Refuses a target that exists and is not an empty directory (the import never overwrites data). */
    static void checkTarget(Path target) throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new IOException("--to " + target + " exists and is not a directory");
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(target)) {
            if (ds.iterator().hasNext()) {
                throw new IOException("--to " + target + " is not empty: the import writes a new data directory "
                        + "and never overwrites one");
            }
        }
    }

    /** Writes, verifies and moves into place; returns the snapshot file in its final place. */
    static Path write(ZkTree tree, Map<Long, Integer> sessions, long zxid, Path target, TreeFingerprint expected)
            throws IOException {
        checkTarget(target);
        Path absolute = target.toAbsolutePath().normalize();
        Files.createDirectories(absolute.getParent());
        Path staging = Files.createTempDirectory(absolute.getParent(), "." + absolute.getFileName() + ".import-");
        boolean moved = false;
        try {
            DataTree corral = new DataTree();
            TreeLoader loader = corral.loader();
            tree.forEachParentFirst((path, n) -> loader.restore(path, n.data, n.acl, n.czxid, n.mzxid, n.ctime,
                    n.mtime, n.pzxid, n.version, n.cversion, n.aversion, n.ephemeralOwner, -1));
            loader.finish();
            corral.setLastAppliedZxid(zxid);
            long now = System.currentTimeMillis();
            SessionTracker tracker = new SessionTracker(2000, 0, now);
            sessions.forEach((id, timeout) -> tracker.add(id, zooKeeperPassword(id), timeout, now));
            Path snapshots = staging.resolve(DataDirectories.SNAPSHOTS);
            Path file = SnapshotFile.write(snapshots, zxid, out -> TreeSnapshot.write(corral, tracker, out));
            verify(snapshots, zxid, sessions, expected);
            if (Files.exists(absolute)) {
                Files.delete(absolute); // an empty directory, checked above
            }
            Files.move(staging, absolute, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
            return absolute.resolve(DataDirectories.SNAPSHOTS).resolve(file.getFileName());
        } finally {
            if (!moved) {
                deleteRecursively(staging);
            }
        }
    }

    /** Loads the snapshot back as the server does and compares it with what was imported. */
    private static void verify(Path snapshots, long zxid, Map<Long, Integer> sessions, TreeFingerprint expected)
            throws IOException {
        LoadedSnapshot loaded;
        try {
            loaded = LoadedSnapshot.load(snapshots);
        } catch (UncheckedIOException e) {
            throw new IOException("the written snapshot does not load: " + e.getMessage(), e);
        }
        if (loaded.file() == null || loaded.zxid() != zxid) {
            throw new IOException("the written snapshot does not load back at zxid 0x" + Long.toHexString(zxid));
        }
        TreeFingerprint actual = TreeFingerprint.of(loaded.tree());
        if (!actual.equals(expected)) {
            throw new IOException("the written snapshot loads back as " + actual + " instead of " + expected);
        }
        if (loaded.sessions().size() != sessions.size()) {
            throw new IOException("the written snapshot holds " + loaded.sessions().size() + " sessions instead of "
                    + sessions.size());
        }
        for (TreeSnapshot.RestoredSession s : loaded.sessions()) {
            Integer timeout = sessions.get(s.id());
            if (timeout == null || timeout != s.timeout() || !Arrays.equals(s.password(), zooKeeperPassword(s.id()))) {
                throw new IOException("session 0x" + Long.toHexString(s.id()) + " does not load back as imported");
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
