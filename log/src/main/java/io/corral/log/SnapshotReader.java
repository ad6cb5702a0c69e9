package io.corral.log;

import java.io.DataInputStream;
import java.io.IOException;

/** Makes something of a snapshot's body: exactly the bytes the {@link SnapshotWriter} wrote, then EOF. */
@FunctionalInterface
public interface SnapshotReader<T> {
    T read(DataInputStream body) throws IOException;
}
