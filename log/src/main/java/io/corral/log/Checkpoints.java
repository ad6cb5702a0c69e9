package io.corral.log;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What makes a {@link TxnLog}'s appends durable with forceSync: the {@link SyncJournal} a sync forces, and the
 * checkpoints that force the mapped files and let the journal start its next generation (periodic, prepared by
 * {@link PeriodicCheckpoint}; when the journal is full; after Chronicle started a file or the directory changed;
 * around a truncation marker; on open and close). Each checkpoint first reads back what it is to vouch for
 * ({@link CheckpointReadBack}) and saves the log's index now and then ({@link IndexCheckpoint}). Without a journal
 * (forceSync off) every method is a no-op.
 *
 * <p>Used under the log's lock.
 */
final class Checkpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);

    private final Path dir;
    private final SingleChronicleQueue queue;
    private final LogIndex index;
    private final SyncTracker syncs;
    /** Told when a checkpoint finds the files lacking an entry: the log fails. */
    private final Consumer<Throwable> onFilesLacking;
    private final PeriodicCheckpoint periodic = new PeriodicCheckpoint();
    private final CheckpointReadBack readBack;
    /** Null without forceSync (once an old one was replayed). */
    private SyncJournal journal;
    private long excerptsSinceIndexSaved;

    Checkpoints(Path dir, SingleChronicleQueue queue, LogIndex index, SyncTracker syncs,
                Consumer<Throwable> onFilesLacking) {
        this.dir = dir;
        this.queue = queue;
        this.index = index;
        this.syncs = syncs;
        this.onFilesLacking = onFilesLacking;
        this.readBack = new CheckpointReadBack(queue, index, index.lastZxid()); // the open verified those
    }

    /** The journal opened, its entries not yet replayed. */
    SyncJournal open(int maxEntryBytes) {
        journal = SyncJournal.open(dir, maxEntryBytes, index.lastZxid());
        return journal;
    }

    /** Without forceSync: the journal replayed and checkpointed is closed, to be deleted (nothing keeps it up). */
    void drop() throws IOException {
        journal.close();
        journal = null;
    }

    boolean journaled() {
        return journal != null;
    }

    /**
     * Reads back the entries appended since the last checkpoint, forces the mapped files, then starts the journal's
     * next generation; its header is forced at once only when {@code durableHeader} (see
     * {@link SyncJournal#checkpoint}). When the files lack an entry the log fails and the exception is thrown: the
     * journal keeps the entry for the next open.
     */
    void run(boolean durableHeader) {
        if (journal == null) {
            return;
        }
        try {
            readBack.checkUpTo(index.lastZxid(), syncs.appendFile());
        } catch (LogCorruptedException e) {
            onFilesLacking.accept(e);
            throw e;
        }
        syncs.forceDirty();
        journal.checkpoint(index.lastZxid(), durableHeader);
        periodic.checkpointed();
        if (durableHeader || excerptsSinceIndexSaved >= IndexCheckpoint.EVERY_EXCERPTS) {
            saveIndex();
        }
    }

    /** Stages an encoded entry for the next sync, after a checkpoint when the journal is full. */
    void stage(byte[] entry, int length) {
        if (journal == null) {
            return;
        }
        if (!journal.fits(length)) {
            run(false);
        }
        journal.add(entry, length);
    }

    /** An excerpt (entry or marker) was written to the files. */
    void excerptWritten() {
        excerptsSinceIndexSaved++;
    }

    /**
     * Makes what was staged durable: forces the journal, or, after Chronicle started a file or the directory
     * changed, the files themselves and the directory (a checkpoint).
     */
    void sync() {
        if (journal == null) {
            return;
        }
        if (syncs.structureChanged()) {
            run(false);
        } else {
            journal.force();
        }
    }

    /** See {@link TxnLog#betweenBatches}. */
    void betweenBatches() {
        if (journal == null) {
            return;
        }
        // after a roll or a purge the checkpoint forces more than the file appended to: no early force then
        if (periodicDue() && (syncs.structureChanged() || periodic.readyToRun(syncs.appendFile()))) {
            run(false);
        }
        journal.allocateAhead();
    }

    /** Whether {@link #betweenBatches} has work to do now: a checkpoint, or the journal's allocation ahead. */
    boolean maintenanceDue() {
        return journal != null && ((periodicDue() && !periodic.forcing()) || journal.allocationDue());
    }

    private boolean periodicDue() {
        return periodic.intervalPassed()
                && index.lastZxid() != journal.checkpointZxid(); // else nothing was appended since
    }

    /**
     * A truncation marker was written and forced (after a checkpoint of what it drops): reading back starts after
     * the history's new end, and the journal's checkpoint follows the log down, durably.
     */
    void truncated() {
        readBack.restartAfter(index.lastZxid());
        if (journal != null) {
            journal.checkpoint(index.lastZxid(), true);
        }
    }

    /** Saves the index for the next open ({@link IndexCheckpoint}); the files must have just been forced. */
    private void saveIndex() {
        try {
            IndexCheckpoint.save(dir, index, queue.rollCycle());
            excerptsSinceIndexSaved = 0;
        } catch (IOException e) {
            LOG.warn("Cannot save the txn log's index in {} (the next open scans the whole log): {}", dir, e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        periodic.close();
        readBack.close();
        if (journal != null) {
            journal.close();
        }
    }
}
