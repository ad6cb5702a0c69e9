package io.corral.log;

import java.io.DataOutputStream;
import java.io.IOException;

/** Writes the body of a snapshot: the server's own records, in its own format. Do not close {@code out}. */
@FunctionalInterface
public interface SnapshotWriter {
    void write(DataOutputStream out) throws IOException;
}
