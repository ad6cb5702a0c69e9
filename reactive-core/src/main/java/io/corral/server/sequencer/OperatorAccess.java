package io.corral.server.sequencer;

import io.corral.server.config.ServerConfig;
import io.corral.server.ops.InspectableServer;
import io.corral.server.ops.ServerStats;
import io.corral.server.ops.ServerView;
import io.corral.server.snapshot.BackupFile;
import io.corral.server.snapshot.SliceFeed;
import io.corral.server.snapshot.TreeSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The sequencer as the operators' endpoints (AdminServer, metrics) reach it from their own threads: what they ask is
 * queued for the sequencer thread, which runs it between batches, so that they read and replace the state without a
 * lock. Kept apart from the request loop, which only drains what this class queued.
 */
final class OperatorAccess implements InspectableServer {
    /** The sequencer's logger, as before this class was split off: log settings that name it still apply. */
    private static final Logger log = LoggerFactory.getLogger(Sequencer.class);

    private final Sequencer sequencer;
    private final ServerConfig config;
    private final Inspections inspections;
    private final Backups backups;
    private final StateReplacement replacement;
    private final Path snapshotDir;

    OperatorAccess(Sequencer sequencer, Inspections inspections, Backups backups, StateReplacement replacement,
                   Path snapshotDir) {
        this.sequencer = sequencer;
        this.config = sequencer.config();
        this.inspections = inspections;
        this.backups = backups;
        this.replacement = replacement;
        this.snapshotDir = snapshotDir;
    }

    /**
     * Runs a read of the operators' side on the sequencer thread, between batches; the future completes there (or
     * fails at once when too many such reads wait).
     */
    @Override
    public <T> CompletableFuture<T> inspect(Function<ServerView, T> reader) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (inspections.offer(reader, result)) {
            sequencer.wake();
        }
        return result;
    }

    @Override
    public ServerStats stats() {
        return sequencer.stats;
    }

    /**
     * Takes a backup while writes go on: the tree is serialised a slice at a time between batches, as a snapshot is,
     * and the log's txns written meanwhile are added so that the backup is the state of one zxid.
     */
    @Override
    public CompletableFuture<BackupFile.Written> backup() {
        return inspect(view -> backups.begin(new SliceFeed(new TreeSnapshot(sequencer.tree, sequencer.sessions,
                sequencer.tree.lastAppliedZxid()), sequencer::wake))).thenCompose(written -> written);
    }

    @Override
    public Path newRestoreFile() throws IOException {
        return Files.createTempFile(snapshotDir, ".snapshot.restore.", ".tmp");
    }

    /**
     * Replaces the whole state with a backup (the AdminServer's restore); checks and loads the file on the calling
     * thread (never an event loop), then installs it between batches. A standalone server only: an ensemble member
     * replaced alone would disagree with the others' history. Completes with the zxid of the state restored.
     */
    @Override
    public CompletableFuture<Long> restore(Path file) {
        if (config.ensemble().isPresent()) {
            return CompletableFuture.failedFuture(new IllegalStateException("restore replaces the state of a "
                    + "standalone server; restore one, then start the ensemble from its data directory"));
        }
        BackupFile.Restorable backup;
        try {
            backup = BackupFile.open(file);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return inspect(view -> {
            try {
                return replacement.installBackup(backup);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot restore the backup", e);
            }
        }).whenComplete((zxid, failure) -> {
            try {
                backup.close();
            } catch (IOException e) {
                log.debug("closing the restored backup", e);
            }
        });
    }
}
