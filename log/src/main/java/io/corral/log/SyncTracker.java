package io.corral.log;

import net.openhft.chronicle.queue.ExcerptAppender;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of the log's files were written since the last sync, and forcing them: the file appended to, the files
 * rolled away from since (each holds entries and Chronicle's end-of-cycle mark), and, after a roll or a purge, the
 * metadata file and the directory. Used under the log's lock.
 */
final class SyncTracker {
    private final Path dir;
    private int appendCycle = Integer.MIN_VALUE;
    private Path appendFile;
    private boolean appendFileDirty;
    private final List<Path> rolledDirty = new ArrayList<>();
    private boolean dirDirty;
    private FileChannel appendChannel;
    private Path appendChannelFile;

    SyncTracker(Path dir) {
        this.dir = dir;
    }

    /**
     * The log was opened with {@code file} (of {@code cycle}) as its newest file: appending to it again changes no
     * directory entry.
     */
    void resume(int cycle, Path file) {
        appendCycle = cycle;
        appendFile = file;
    }

    /** An excerpt of cycle {@code cycle} was just written through {@code appender}. */
    void written(int cycle, ExcerptAppender appender) {
        if (cycle != appendCycle) {
            if (appendFile != null) {
                rolledDirty.add(appendFile); // holds our last entries and, after a roll, Chronicle's EOF mark
            }
            appendCycle = cycle;
            appendFile = appender.currentFile().toPath();
            dirDirty = true;
        }
        appendFileDirty = true;
    }

    /** The cycle last appended to, or {@code Integer.MIN_VALUE}. */
    int appendCycle() {
        return appendCycle;
    }

    /** The file last appended to, or null. */
    Path appendFile() {
        return appendFile;
    }

    /** A file was deleted or created in the directory: the next force includes the directory. */
    void directoryChanged() {
        dirDirty = true;
    }

    /** Chronicle started a file, or one was deleted, since the last force: the directory must be forced too. */
    boolean structureChanged() {
        return !rolledDirty.isEmpty() || dirDirty;
    }

    /** Forces every file written since the last force (and the directory after a roll) to stable storage. */
    void forceDirty() {
        try {
            for (Path f : rolledDirty) {
                if (!f.equals(appendFile)) {
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                        ch.force(false);
                    }
                }
            }
            rolledDirty.clear();
            if (appendFileDirty) {
                openAppendChannel();
                // fdatasync of a file flushes the pages dirtied through Chronicle's shared mapping as well
                // (what msync(MS_SYNC) would do), including Chronicle's header and index pages.
                appendChannel.force(false);
                appendFileDirty = false;
            }
            if (dirDirty) {
                Path metadata = dir.resolve("metadata.cq4t");
                if (Files.exists(metadata)) {
                    try (FileChannel ch = FileChannel.open(metadata, StandardOpenOption.READ)) {
                        ch.force(false);
                    }
                }
                TxnLog.forceDirectory(dir);
                dirDirty = false;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force txn log " + dir + " to disk", e);
        }
    }


    private void openAppendChannel() throws IOException {
        if (!appendFile.equals(appendChannelFile)) {
            close();
            appendChannel = FileChannel.open(appendFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
            appendChannelFile = appendFile;
        }
    }

    /** Closes the channel it forces the append file through. */
    void close() throws IOException {
        if (appendChannel != null) {
            appendChannel.close();
            appendChannel = null;
            appendChannelFile = null;
        }
    }
}
