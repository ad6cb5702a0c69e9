package io.corral.server.sequencer;

import io.corral.log.TxnLog;
import io.corral.server.snapshot.BackupFile;
import io.corral.server.snapshot.SliceFeed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * The backups being taken for the AdminServer's {@code snapshot} command: the sequencer feeds their slices between
 * batches, as it does a snapshot's, and a thread each writes the file (in the snapshot directory, named so that
 * start-up removes it if the server dies first). A few at a time: the AdminServer rate-limits them anyway.
 */
final class Backups {
    private static final int AT_ONCE = 2;

    private final Path dir;
    private final TxnLog txnLog;
    private final List<SliceFeed> feeding = new ArrayList<>(AT_ONCE);

    Backups(Path dir, TxnLog txnLog) {
        this.dir = dir;
        this.txnLog = txnLog;
    }

    /** Starts a backup from {@code feed}; the future completes on its writer's thread (sequencer thread). */
    CompletableFuture<BackupFile.Written> begin(SliceFeed feed) {
        if (feeding.size() >= AT_ONCE) {
            return CompletableFuture.failedFuture(new RejectedExecutionException(
                    AT_ONCE + " backups are already being taken"));
        }
        feeding.add(feed);
        CompletableFuture<BackupFile.Written> written = new CompletableFuture<>();
        Thread writer = new Thread(() -> write(feed, written), "corral-backup");
        writer.setDaemon(true);
        writer.start();
        return written;
    }

    private void write(SliceFeed feed, CompletableFuture<BackupFile.Written> written) {
        Path file = null;
        try {
            file = Files.createTempFile(dir, ".snapshot.backup.", ".tmp");
            written.complete(BackupFile.write(file, feed, txnLog));
        } catch (IOException | RuntimeException e) {
            feed.writerGone();
            SnapshotImageFile.deleteQuietly(file);
            written.completeExceptionally(e);
        }
    }

    /** Serialises the next slice of each backup whose writer has room (sequencer thread). */
    void feed() {
        feeding.removeIf(SliceFeed::feed);
    }

    boolean busy() {
        return !feeding.isEmpty();
    }

    /** Ends every backup being fed: the state they read is about to be replaced (sequencer thread). */
    void abandonAll() {
        feeding.forEach(SliceFeed::abandon);
        feeding.clear();
    }
}
