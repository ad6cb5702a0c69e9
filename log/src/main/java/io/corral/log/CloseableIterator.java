package io.corral.log;

import java.util.Iterator;

/** An iterator over log entries that holds a file handle: close it (try-with-resources) when done. */
public interface CloseableIterator<T> extends Iterator<T>, AutoCloseable {
    @Override
    void close();
}
