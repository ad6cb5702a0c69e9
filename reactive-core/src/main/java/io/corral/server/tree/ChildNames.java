package io.corral.server.tree;

import io.corral.protocol.PreEncodedStrings;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The names of a node's children at one moment, copied out of its {@link Children} in the form a getChildren reply
 * sends them (per name: int length, UTF-8 bytes): the reply copies the bytes as they are ({@link PreEncodedStrings}),
 * and a String is made only for a name somebody reads. Immutable, so an event loop may encode it while the
 * sequencer changes the tree.
 */
final class ChildNames extends AbstractList<String> implements PreEncodedStrings {
    private final byte[] jute;
    private final int length;
    private final int count;
    /** Where each name's length sits in {@link #jute}; built on the first {@link #get}. */
    private int[] starts;

    ChildNames(byte[] jute, int length, int count) {
        this.jute = jute;
        this.length = length;
        this.count = count;
    }

    @Override
    public byte[] juteBytes() {
        return jute;
    }

    @Override
    public int juteLength() {
        return length;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public String get(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException(index);
        }
        if (starts == null) {
            int[] all = new int[count];
            for (int i = 0, at = 0; i < count; i++) {
                all[i] = at;
                at += 4 + lengthAt(at);
            }
            starts = all;
        }
        return nameAt(starts[index]);
    }

    @Override
    public Iterator<String> iterator() {
        return new Iterator<>() {
            private int at;

            @Override
            public boolean hasNext() {
                return at < length;
            }

            @Override
            public String next() {
                if (at >= length) {
                    throw new NoSuchElementException();
                }
                String name = nameAt(at);
                at += 4 + lengthAt(at);
                return name;
            }
        };
    }

    private int lengthAt(int at) {
        return (jute[at] & 0xFF) << 24 | (jute[at + 1] & 0xFF) << 16 | (jute[at + 2] & 0xFF) << 8
                | jute[at + 3] & 0xFF;
    }

    private String nameAt(int at) {
        return new String(jute, at + 4, lengthAt(at), StandardCharsets.UTF_8);
    }
}
