package io.corral.log;

import java.nio.file.Path;

/**
 * A snapshot file read whole by {@link SnapshotFile#readNewestValid}, its checksum verified.
 *
 * @param lastZxid the zxid of the last txn the snapshot reflects: replay the log from after it
 * @param path     the file
 * @param content  what the {@link SnapshotReader} made of its body
 */
public record Snapshot<T>(long lastZxid, Path path, T content) {
}
