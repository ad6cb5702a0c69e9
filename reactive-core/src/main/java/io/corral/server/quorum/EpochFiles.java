package io.corral.server.quorum;

import io.corral.log.TxnLog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The two epochs a ZAB participant must never forget, in dataDir as ZooKeeper keeps them: {@code acceptedEpoch}
 * (the newest epoch it promised to follow) and {@code currentEpoch} (the epoch of the history it holds). Each is
 * written to a temporary file, synced, and renamed over the old one.
 */
final class EpochFiles implements EpochStore {
    private final Path dir;
    private long accepted;
    private long current;

    EpochFiles(Path dir) {
        this.dir = dir;
        this.accepted = read("acceptedEpoch");
        this.current = read("currentEpoch");
    }

    @Override
    public long accepted() {
        return accepted;
    }

    @Override
    public long current() {
        return current;
    }

    @Override
    public void write(long acceptedEpoch, long currentEpoch) {
        if (acceptedEpoch != accepted) {
            write("acceptedEpoch", acceptedEpoch);
            accepted = acceptedEpoch;
        }
        if (currentEpoch != current) {
            write("currentEpoch", currentEpoch);
            current = currentEpoch;
        }
    }

    private long read(String name) {
        try {
            return Long.parseLong(Files.readString(dir.resolve(name), StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("Cannot read " + dir.resolve(name) + ": " + e, e);
        }
    }

    private void write(String name, long value) {
        Path target = dir.resolve(name);
        Path tmp = dir.resolve(name + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.US_ASCII)));
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            TxnLog.forceDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target, e);
        }
    }
}
