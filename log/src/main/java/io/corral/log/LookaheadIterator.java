package io.corral.log;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator that works out its next element only when asked: {@link #advance()} returns it, or null at the end
 * (and is not called again until that element was taken).
 */
public abstract class LookaheadIterator<T> implements Iterator<T> {
    private T next;

    /** The next element, or null when there is none. */
    protected abstract T advance();

    @Override
    public final boolean hasNext() {
        if (next == null) {
            next = advance();
        }
        return next != null;
    }

    @Override
    public final T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T e = next;
        next = null;
        return e;
    }
}
