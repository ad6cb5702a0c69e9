package io.corral.log;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded lock-free queue for many producers and one consumer (a sequence number per slot, after Dmitry
 * Vyukov's bounded queue). {@link #offer} never blocks and fails when full; {@link #poll} returns null when
 * empty. Capacity is rounded up to a power of two.
 */
final class BoundedMpscQueue<E> {

    private final int mask;
    private final AtomicReferenceArray<E> elements;
    /** sequence[i] == pos: slot free for the producer of pos; == pos + 1: holds the element of pos. */
    private final AtomicLongArray sequence;
    private final AtomicLong producerPos = new AtomicLong();
    private long consumerPos; // the single consumer's own

    BoundedMpscQueue(int capacity) {
        if (capacity < 1 || capacity > (1 << 30)) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        int size = Integer.highestOneBit(capacity);
        if (size < capacity) {
            size <<= 1;
        }
        mask = size - 1;
        elements = new AtomicReferenceArray<>(size);
        sequence = new AtomicLongArray(size);
        for (int i = 0; i < size; i++) {
            sequence.set(i, i);
        }
    }

    int capacity() {
        return mask + 1;
    }

    boolean offer(E e) {
        long pos = producerPos.get();
        while (true) {
            int slot = (int) (pos & mask);
            long diff = sequence.get(slot) - pos;
            if (diff == 0) {
                if (producerPos.compareAndSet(pos, pos + 1)) {
                    elements.lazySet(slot, e);
                    sequence.set(slot, pos + 1); // publishes the element
                    return true;
                }
                pos = producerPos.get();
            } else if (diff < 0) {
                return false; // full: the consumer has not freed this slot yet
            } else {
                pos = producerPos.get();
            }
        }
    }

    /** Consumer thread only. */
    E poll() {
        long pos = consumerPos;
        int slot = (int) (pos & mask);
        if (sequence.get(slot) != pos + 1) {
            return null; // empty, or the producer of pos has not published yet
        }
        E e = elements.get(slot);
        elements.lazySet(slot, null);
        consumerPos = pos + 1;
        sequence.set(slot, pos + mask + 1); // frees the slot for the producer one lap later
        return e;
    }

    /** Approximate when producers are active. */
    boolean isEmpty() {
        return sequence.get((int) (consumerPos & mask)) != consumerPos + 1;
    }
}
