package io.corral.server.tree;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The children of one znode by name, and the two Stat fields only a parent moves (pzxid and the child-creation
 * counter). A node that never had a child has none of this (see {@link DataNode#children}).
 *
 * <p>Compact by design, as a parent of a million children is the case that matters: no object per child besides
 * the child itself, and no String per name. Names are packed one after another in {@link #names}, each behind a
 * varint header {@code chars << 2 | utf16 << 1 | deleted}: the chars as Latin-1 bytes when every char fits, as
 * UTF-16 otherwise (a path holds Basic Multilingual Plane chars only, see {@link PathValidator}). The children are
 * found through an open-addressed table (linear probing, backward-shift deletion, load at most 4/5):
 * {@code keys[i]} holds the name's 32-bit hash and 1 + the offset of its entry in {@code names} (0 is an empty
 * slot), {@code nodes[i]} the child. The hash in the key filters probes without touching the names, and lets the
 * table grow, shrink and compact without hashing names again.
 *
 * <p>A deleted name stays in {@code names}, marked, until the array is rewritten: when it runs out of room, or
 * when the dead bytes outweigh the live ones three to one; each rewrite leaves at least as much free room as live
 * bytes, so its cost is spread over at least as many later appends. Listing reads {@code names} front to back.
 *
 * <p>Owned by the sequencer thread, as the whole tree is: nothing here is synchronised.
 */
final class Children {
    private static final int MIN_CAPACITY = 2;
    private static final int MIN_NAMES = 16;
    private static final long HASH_BITS = 0xFFFF_FFFF_0000_0000L;

    long pzxid;
    /** ZooKeeper's internal child-creation counter C; clients see 2C - numChildren as cversion. */
    int cversion;
    private int size;
    private long[] keys;
    private DataNode[] nodes;
    private byte[] names;
    private int namesEnd;
    private int deadBytes;

    Children(long pzxid, int cversion) {
        this.pzxid = pzxid;
        this.cversion = cversion;
    }

    int size() {
        return size;
    }

    /** Hash of the name path[from, to), as {@link #get} and {@link #put} expect it. */
    static int hash(String path, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + path.charAt(i);
        }
        return mix(h);
    }

    /** The finaliser of MurmurHash3: spreads a polynomial hash over the high bits the slot index uses. */
    static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85EB_CA6B;
        h ^= h >>> 13;
        h *= 0xC2B2_AE35;
        return h ^ h >>> 16;
    }

    /** The child named path[from, to), whose {@link #hash} is h; null when there is none. */
    DataNode get(int h, String path, int from, int to) {
        long[] keys = this.keys;
        if (keys == null) {
            return null;
        }
        int capacity = keys.length;
        for (int i = slot(h, capacity); ; i = i + 1 == capacity ? 0 : i + 1) {
            long key = keys[i];
            if (key == 0) {
                return null;
            }
            if ((int) (key >>> 32) == h && nameEquals((int) key - 1, path, from, to)) {
                return nodes[i];
            }
        }
    }

    /** Adds the child named path[from, to), or replaces the one of that name; returns the replaced one or null. */
    DataNode put(String path, int from, int to, DataNode node) {
        int h = hash(path, from, to);
        if (keys == null) {
            keys = new long[MIN_CAPACITY];
            nodes = new DataNode[MIN_CAPACITY];
        }
        int capacity = keys.length;
        int i = slot(h, capacity);
        for (long key; (key = keys[i]) != 0; i = i + 1 == capacity ? 0 : i + 1) {
            if ((int) (key >>> 32) == h && nameEquals((int) key - 1, path, from, to)) {
                DataNode previous = nodes[i];
                nodes[i] = node;
                return previous;
            }
        }
        if (size >= maxSize(capacity)) {
            resize(capacity + (capacity >> 1));
            capacity = keys.length;
            i = slot(h, capacity);
            while (keys[i] != 0) {
                i = i + 1 == capacity ? 0 : i + 1;
            }
        }
        int offset = appendName(path, from, to);
        keys[i] = (long) h << 32 | (offset + 1);
        nodes[i] = node;
        size++;
        return null;
    }

    /** Removes the child named path[from, to); returns it, or null when there is none. */
    DataNode remove(String path, int from, int to) {
        long[] keys = this.keys;
        if (keys == null) {
            return null;
        }
        int h = hash(path, from, to);
        int capacity = keys.length;
        int i = slot(h, capacity);
        for (long key; (key = keys[i]) != 0; i = i + 1 == capacity ? 0 : i + 1) {
            if ((int) (key >>> 32) == h && nameEquals((int) key - 1, path, from, to)) {
                DataNode removed = nodes[i];
                int offset = (int) key - 1;
                deadBytes += entryLength(names, offset);
                names[offset] |= 1;
                closeGap(i);
                size--;
                afterRemove();
                return removed;
            }
        }
        return null;
    }

    /** The names, in the order they sit in {@link #names}: a new list the caller owns. */
    List<String> names() {
        List<String> result = new ArrayList<>(size);
        byte[] names = this.names;
        int at = 0;
        while (result.size() < size) {
            int header = 0;
            int shift = 0;
            byte b;
            do {
                b = names[at++];
                header |= (b & 0x7F) << shift;
                shift += 7;
            } while (b < 0);
            boolean utf16 = (header & 2) != 0;
            int bytes = utf16 ? (header >>> 2) * 2 : header >>> 2;
            if ((header & 1) == 0) {
                result.add(new String(names, at, bytes, utf16 ? StandardCharsets.UTF_16BE
                        : StandardCharsets.ISO_8859_1));
            }
            at += bytes;
        }
        return result;
    }

    /** What {@link #forEach} hands over per child. */
    interface Visitor {
        void visit(DataNode child, int nameChars);
    }

    /** Every child with the length of its name in chars, in table order. */
    void forEach(Visitor visitor) {
        long[] keys = this.keys;
        if (keys == null) {
            return;
        }
        for (int i = 0; i < keys.length; i++) {
            long key = keys[i];
            if (key != 0) {
                visitor.visit(nodes[i], nameChars((int) key - 1));
            }
        }
    }

    // --- the table -----------------------------------------------------------------------------------------------

    private static int slot(int h, int capacity) {
        return (int) ((h & 0xFFFF_FFFFL) * capacity >>> 32);
    }

    private static int maxSize(int capacity) {
        return capacity * 4 / 5;
    }

    private void resize(int capacity) {
        long[] oldKeys = keys;
        DataNode[] oldNodes = nodes;
        keys = new long[capacity];
        nodes = new DataNode[capacity];
        for (int j = 0; j < oldKeys.length; j++) {
            long key = oldKeys[j];
            if (key != 0) {
                int i = slot((int) (key >>> 32), capacity);
                while (keys[i] != 0) {
                    i = i + 1 == capacity ? 0 : i + 1;
                }
                keys[i] = key;
                nodes[i] = oldNodes[j];
            }
        }
    }

    /** Empties slot hole and moves back the entries after it that probed past it (no tombstones). */
    private void closeGap(int hole) {
        long[] keys = this.keys;
        int capacity = keys.length;
        for (int j = hole + 1 == capacity ? 0 : hole + 1; ; j = j + 1 == capacity ? 0 : j + 1) {
            long key = keys[j];
            if (key == 0) {
                break;
            }
            int home = slot((int) (key >>> 32), capacity);
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                keys[hole] = key;
                nodes[hole] = nodes[j];
                hole = j;
            }
        }
        keys[hole] = 0;
        nodes[hole] = null;
    }

    private void afterRemove() {
        if (size == 0) {
            keys = null;
            nodes = null;
            names = null;
            namesEnd = 0;
            deadBytes = 0;
            return;
        }
        int capacity = keys.length;
        if (capacity > 8 && size < capacity / 5) {
            resize(Math.max(MIN_CAPACITY, size * 2));
        }
        int live = namesEnd - deadBytes;
        if (deadBytes > 3L * live && namesEnd > 4 * MIN_NAMES) {
            rewriteNames(capped(2L * live));
        }
    }

    // --- the names -----------------------------------------------------------------------------------------------

    /** Appends the entry of path[from, to); returns its offset. */
    private int appendName(String path, int from, int to) {
        int chars = to - from;
        boolean utf16 = false;
        for (int i = from; i < to; i++) {
            if (path.charAt(i) > 0xFF) {
                utf16 = true;
                break;
            }
        }
        int header = chars << 2 | (utf16 ? 2 : 0);
        int need = varintLength(header) + (utf16 ? 2 * chars : chars);
        if (names == null) {
            names = new byte[Math.max(MIN_NAMES, need)];
        } else if (names.length - namesEnd < need) {
            int live = namesEnd - deadBytes;
            long wanted = (long) live + need;
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("the names of one znode's children would exceed 2 GB");
            }
            if (deadBytes == 0) {
                names = Arrays.copyOf(names, capped(wanted + (wanted >> 1)));
            } else {
                rewriteNames(capped(2 * wanted));
            }
        }
        byte[] names = this.names;
        int offset = namesEnd;
        int at = offset;
        for (int v = header; ; v >>>= 7) {
            if ((v & ~0x7F) == 0) {
                names[at++] = (byte) v;
                break;
            }
            names[at++] = (byte) (v & 0x7F | 0x80);
        }
        if (utf16) {
            for (int i = from; i < to; i++) {
                char c = path.charAt(i);
                names[at++] = (byte) (c >>> 8);
                names[at++] = (byte) c;
            }
        } else {
            for (int i = from; i < to; i++) {
                names[at++] = (byte) path.charAt(i);
            }
        }
        namesEnd = at;
        return offset;
    }

    /** A length for the names array: at least MIN_NAMES, at most what a Java array can be. */
    private static int capped(long length) {
        return (int) Math.max(MIN_NAMES, Math.min(length, Integer.MAX_VALUE - 16));
    }

    /** Copies the live entries into a new array of that length, in table order, and points the keys at them. */
    private void rewriteNames(int length) {
        byte[] old = names;
        byte[] fresh = new byte[length];
        int end = 0;
        long[] keys = this.keys;
        for (int i = 0; i < keys.length; i++) {
            long key = keys[i];
            if (key != 0) {
                int offset = (int) key - 1;
                int entry = entryLength(old, offset);
                System.arraycopy(old, offset, fresh, end, entry);
                keys[i] = key & HASH_BITS | (end + 1);
                end += entry;
            }
        }
        names = fresh;
        namesEnd = end;
        deadBytes = 0;
    }

    private static int varintLength(int value) {
        int length = 1;
        while ((value & ~0x7F) != 0) {
            value >>>= 7;
            length++;
        }
        return length;
    }

    /** The header, bytes and all, of the entry at offset. */
    private static int entryLength(byte[] names, int offset) {
        int at = offset;
        int header = 0;
        int shift = 0;
        byte b;
        do {
            b = names[at++];
            header |= (b & 0x7F) << shift;
            shift += 7;
        } while (b < 0);
        int chars = header >>> 2;
        return at - offset + ((header & 2) != 0 ? 2 * chars : chars);
    }

    private int nameChars(int offset) {
        byte[] names = this.names;
        int header = 0;
        int shift = 0;
        byte b;
        do {
            b = names[offset++];
            header |= (b & 0x7F) << shift;
            shift += 7;
        } while (b < 0);
        return header >>> 2;
    }

    private boolean nameEquals(int offset, String path, int from, int to) {
        byte[] names = this.names;
        int at = offset;
        int header = 0;
        int shift = 0;
        byte b;
        do {
            b = names[at++];
            header |= (b & 0x7F) << shift;
            shift += 7;
        } while (b < 0);
        if (header >>> 2 != to - from) {
            return false;
        }
        if ((header & 2) == 0) {
            for (int i = from; i < to; i++) {
                if ((names[at++] & 0xFF) != path.charAt(i)) {
                    return false;
                }
            }
        } else {
            for (int i = from; i < to; i++) {
                char c = (char) ((names[at] & 0xFF) << 8 | names[at + 1] & 0xFF);
                at += 2;
                if (c != path.charAt(i)) {
                    return false;
                }
            }
        }
        return true;
    }
}
