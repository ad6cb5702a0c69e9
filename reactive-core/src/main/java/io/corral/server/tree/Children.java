package io.corral.server.tree;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The children of one znode by name, and the two Stat fields only a parent moves (pzxid and the child-creation
 * counter). A node that never had a child has none of this (see {@link DataNode#children}).
 *
 * <p>Compact by design, as a parent of a million children is the case that matters: no object per child besides
 * the child itself, and no String per name. The children are found through an open-addressed table (linear
 * probing, backward-shift deletion, load at most 4/5): {@code nodes[i]} is a child, {@code keys[i]} its name, 0 an
 * empty slot. A name of at most 7 ASCII chars is the key itself (its bytes, and its length in bits 56-58: exact,
 * so such a lookup never reads anything but the two arrays). A longer one is packed as UTF-8 (the form a reply
 * sends it in) in {@link #names}, behind a varint of its length ({@link NameEntries}), and its key holds a flag
 * (bit 63), 31 bits of its hash and 1 + its offset; the hash filters probes without touching the names, and lets
 * the table grow, shrink and rewrite the names without hashing them again.
 *
 * <p>A deleted name's bytes stay in {@code names} until the array is rewritten: when it runs out of room, or when
 * the dead bytes outweigh the live ones three to one; each rewrite leaves at least as much free room as live
 * bytes, so its cost is spread over at least as many later appends. Listing copies the names out in reply form
 * ({@link ChildNames}).
 *
 * <p>Owned by the sequencer thread, as the whole tree is: nothing here is synchronised.
 */
final class Children {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final int MIN_CAPACITY = 2;
    private static final int MIN_NAMES = 16;
    /** Marks a key whose name is in {@link #names}. */
    private static final long PACKED = 1L << 63;
    private static final long TAG_BITS = 0xFFFF_FFFF_0000_0000L;
    static final int MAX_INLINE = 7;
    /** {@link #putAll} writes this many children or more in the order of their slots (fewer: as they come). */
    private static final int SORTED_FROM = 64;

    long pzxid;
    /** ZooKeeper's internal child-creation counter C; clients see 2C - numChildren as cversion. */
    int cversion;
    private int size;
    /**
     * Odd, this table's own: it scrambles the order of the slots. Without it every table would keep names in the
     * same hash order, and filling a table in another one's slot order (as a snapshot's load does, in the order the
     * snapshot listed the children) piles up one run of taken slots that each insertion probes to its end: a
     * million children took minutes.
     */
    private final int seed = ThreadLocalRandom.current().nextInt() | 1;
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

    /**
     * The child named path[from, to), or null when there is none; inline is the name's {@link #inlineKey} and
     * polynomialHash its chars' {@code h = 31 * h + c} (what {@link #hash} spreads), both of which a caller reading
     * the path anyway gets for little.
     */
    DataNode get(long inline, int polynomialHash, String path, int from, int to) {
        if (keys == null) {
            return null;
        }
        if (inline != 0) { // find()'s loop, reading each slot's node with its key: the two loads overlap
            long[] keys = this.keys;
            DataNode[] nodes = this.nodes;
            int capacity = keys.length;
            for (int i = slot(home(inline), capacity); ; i = i + 1 == capacity ? 0 : i + 1) {
                long key = keys[i];
                DataNode node = nodes[i];
                if (key == inline) {
                    return node;
                }
                if (key == 0) {
                    return null;
                }
            }
        }
        int i = find(0, spread(polynomialHash), path, from, to);
        return i >= 0 ? nodes[i] : null;
    }

    /** Adds the child named path[from, to), or replaces the one of that name; returns the replaced one or null. */
    DataNode put(String path, int from, int to, DataNode node) {
        if (keys == null) {
            keys = new long[MIN_CAPACITY];
            nodes = new DataNode[MIN_CAPACITY];
        }
        long inline = inlineKey(path, from, to);
        int h = inline == 0 ? hash(path, from, to) : 0;
        int i = find(inline, h, path, from, to);
        if (i >= 0) {
            DataNode previous = nodes[i];
            nodes[i] = node;
            return previous;
        }
        if (size >= maxSize(keys.length)) {
            resize(keys.length + (keys.length >> 1));
            i = find(inline, h, path, from, to);
        }
        i = ~i;
        keys[i] = inline != 0 ? inline : packedKey(h, path, from, to, false);
        nodes[i] = node;
        size++;
        return null;
    }

    /** Removes the child named path[from, to); returns it, or null when there is none. */
    DataNode remove(String path, int from, int to) {
        if (keys == null) {
            return null;
        }
        long inline = inlineKey(path, from, to);
        int i = find(inline, inline == 0 ? hash(path, from, to) : 0, path, from, to);
        if (i < 0) {
            return null;
        }
        DataNode removed = nodes[i];
        long key = keys[i];
        if (key < 0) {
            deadBytes += NameEntries.length(names, (int) key - 1);
        }
        closeGap(i);
        size--;
        afterRemove();
        return removed;
    }

    /** What {@link #putAll} reports of a child that took the place of one of the same name. */
    interface Replaced {
        void replaced(String name, DataNode previous, DataNode node);
    }

    /**
     * The key of the child named path[from, to), its name packed into {@link #names} if it is not inline, for
     * {@link #putAll} to add later (a bulk load). The table is not touched; until that putAll, nothing else may be
     * called on this object but keyFor.
     */
    long keyFor(String path, int from, int to) {
        long inline = inlineKey(path, from, to);
        if (inline != 0) {
            return inline;
        }
        return packedKey(hash(path, from, to), path, from, to, true);
    }

    /** The key of a name kept in {@link #names} (h its {@link #hash}): appends its entry there. */
    private long packedKey(int h, String path, int from, int to, boolean keepOffsets) {
        return PACKED | (long) (h >>> 1) << 32 | (appendName(path, from, to, keepOffsets) + 1);
    }

    /**
     * Adds {@code count} children, whose keys {@link #keyFor} made, as {@link #put} would one by one in that order
     * (a later one of a name replaces an earlier one; {@code replaced} hears of each), but grown once and written in
     * the order of their slots: a snapshot lists a parent's children in the order of the table it was taken from,
     * which is random here (every table has its own {@link #seed}), and a million children put one by one wrote
     * their table's arrays all over, dirtying the same cards again and again for the collector.
     */
    void putAll(long[] newKeys, DataNode[] newNodes, int count, Replaced replaced) {
        int needed = size + count;
        if (keys == null) {
            keys = new long[capacityFor(needed)];
            nodes = new DataNode[keys.length];
        } else if (needed > maxSize(keys.length)) {
            resize(Math.max(capacityFor(needed), keys.length + (keys.length >> 1)));
        }
        int[] order = count < SORTED_FROM ? null : slotOrder(newKeys, count, keys.length);
        for (int j = 0; j < count; j++) {
            int k = order == null ? j : order[j];
            long key = newKeys[k];
            int i = findKey(key);
            if (i < 0) {
                i = ~i;
                keys[i] = key;
                nodes[i] = newNodes[k];
                size++;
            } else {
                DataNode previous = nodes[i];
                nodes[i] = newNodes[k];
                if (key < 0) {
                    // the table keeps the entry it has of the name: the new one is dead
                    deadBytes += NameEntries.length(names, (int) key - 1);
                }
                replaced.replaced(nameOf(keys[i]), previous, newNodes[k]);
            }
        }
    }

    /**
     * The indexes of keys[0, count) in the order of their slots at capacity, stable: a counting sort when they fill
     * a good part of the table, else a sort of (slot, index) pairs (a few siblings between a big parent's subtrees
     * must not cost an array of the table's size).
     */
    private int[] slotOrder(long[] keys, int count, int capacity) {
        if (count < capacity / 4) {
            long[] pairs = new long[count];
            for (int j = 0; j < count; j++) {
                pairs[j] = (long) slot(home(keys[j]), capacity) << 32 | j;
            }
            Arrays.sort(pairs);
            int[] order = new int[count];
            for (int j = 0; j < count; j++) {
                order[j] = (int) pairs[j];
            }
            return order;
        }
        int[] slots = new int[count];
        int[] starts = new int[capacity + 1];
        for (int j = 0; j < count; j++) {
            int s = slot(home(keys[j]), capacity);
            slots[j] = s;
            starts[s + 1]++;
        }
        for (int s = 0; s < capacity; s++) {
            starts[s + 1] += starts[s];
        }
        int[] order = new int[count];
        for (int j = 0; j < count; j++) {
            order[starts[slots[j]]++] = j;
        }
        return order;
    }

    /** The slot holding a child named as key's (a key {@link #keyFor} made), or the complement of an empty slot. */
    private int findKey(long key) {
        long[] keys = this.keys;
        int capacity = keys.length;
        for (int i = slot(home(key), capacity); ; i = i + 1 == capacity ? 0 : i + 1) {
            long k = keys[i];
            if (k == 0) {
                return ~i;
            }
            if (k == key || key < 0 && (k & TAG_BITS) == (key & TAG_BITS)
                    && NameEntries.same(names, (int) k - 1, (int) key - 1)) {
                return i;
            }
        }
    }

    /** The name a key stands for. */
    private String nameOf(long key) {
        if (key > 0) {
            byte[] ascii = new byte[(int) (key >>> 56)];
            for (int i = 0; i < ascii.length; i++) {
                ascii[i] = (byte) (key >>> 8 * i);
            }
            return new String(ascii, StandardCharsets.US_ASCII);
        }
        return NameEntries.decode(names, (int) key - 1);
    }

    private static int capacityFor(int size) {
        int capacity = Math.max(MIN_CAPACITY, size + (size >> 2));
        while (maxSize(capacity) < size) {
            capacity++;
        }
        return capacity;
    }

    /** The names, in table order, copied out as a getChildren reply sends them. */
    List<String> names() {
        if (size == 0) {
            return List.of();
        }
        long[] keys = this.keys;
        byte[] names = this.names;
        // a 4-byte length per name, then its bytes: an inline name is written as its whole 8-byte key (the bytes
        // past the name are overwritten by the next one or lie past the end), a packed one takes no more than its
        // entry (a varint of at least one byte, then the bytes)
        byte[] jute = new byte[12 * size + namesEnd - deadBytes];
        int length = 0;
        for (long key : keys) {
            if (key == 0) {
                continue;
            }
            int bytes;
            if (key > 0) {
                bytes = (int) (key >>> 56);
                LONG_LE.set(jute, length + 4, key);
            } else {
                int at = (int) key - 1;
                bytes = NameEntries.header(names, at);
                System.arraycopy(names, at + NameEntries.varintLength(bytes), jute, length + 4, bytes);
            }
            INT_BE.set(jute, length, bytes);
            length += 4 + bytes;
        }
        return new ChildNames(jute, length, size);
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
                visitor.visit(nodes[i], key > 0 ? (int) (key >>> 56) : NameEntries.chars(names, (int) key - 1));
            }
        }
    }

    // --- keys ----------------------------------------------------------------------------------------------------

    /** The key of path[from, to) when it is a name of at most 7 ASCII chars; 0 otherwise. */
    static long inlineKey(String path, int from, int to) {
        if (to - from > MAX_INLINE) {
            return 0;
        }
        long key = (long) (to - from) << 56;
        for (int i = from, shift = 0; i < to; i++, shift += 8) {
            char c = path.charAt(i);
            if (c >= 0x80) {
                return 0;
            }
            key |= (long) c << shift;
        }
        return key;
    }

    /** Hash of a name kept in {@link #names}: its chars' polynomial hash, spread over the high bits. */
    static int hash(String path, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + path.charAt(i);
        }
        return spread(h);
    }

    /** Fibonacci hashing: the slot index ({@link #slot}) takes a hash's high bits, which this fills. */
    private static int spread(int h) {
        return (int) ((h ^ h >>> 16) * 0x9E37_79B9_7F4A_7C15L >>> 32);
    }

    /** The 32 bits a key's home slot comes from. */
    private static int home(long key) {
        if (key < 0) {
            return (int) (key >>> 32) << 1; // the hash, less its lowest bit
        }
        return (int) ((key ^ key >>> 29) * 0x9E37_79B9_7F4A_7C15L >>> 32); // the name's bytes, Fibonacci hashed
    }

    /**
     * The slot of the name path[from, to) (its key when inline, else 0 and h its {@link #hash}), or the complement
     * of the empty slot its probe ended on.
     */
    private int find(long inline, int h, String path, int from, int to) {
        long[] keys = this.keys;
        int capacity = keys.length;
        if (inline != 0) {
            for (int i = slot(home(inline), capacity); ; i = i + 1 == capacity ? 0 : i + 1) {
                long key = keys[i];
                if (key == inline) {
                    return i;
                }
                if (key == 0) {
                    return ~i;
                }
            }
        }
        long tag = PACKED | (long) (h >>> 1) << 32;
        for (int i = slot(h & ~1, capacity); ; i = i + 1 == capacity ? 0 : i + 1) {
            long key = keys[i];
            if (key == 0) {
                return ~i;
            }
            if ((key & TAG_BITS) == tag && NameEntries.equals(names, (int) key - 1, path, from, to)) {
                return i;
            }
        }
    }

    // --- the table -----------------------------------------------------------------------------------------------

    private int slot(int h, int capacity) {
        return (int) (((h * seed) & 0xFFFF_FFFFL) * capacity >>> 32);
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
                int i = slot(home(key), capacity);
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
            int home = slot(home(key), capacity);
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
        if (names != null && live == 0) {
            names = null;
            namesEnd = 0;
            deadBytes = 0;
        } else if (deadBytes > 3L * live && namesEnd > 4 * MIN_NAMES) {
            rewriteNames(capped(2L * live));
        }
    }

    // --- the names -----------------------------------------------------------------------------------------------

    /**
     * Appends the entry of path[from, to); returns its offset. Offsets already handed out stay valid only with
     * {@code keepOffsets}: otherwise making room may rewrite the names (and the keys in the table with them).
     */
    private int appendName(String path, int from, int to, boolean keepOffsets) {
        int bytes = NameEntries.utf8Length(path, from, to);
        int need = NameEntries.varintLength(bytes) + bytes;
        if (names == null) {
            names = new byte[Math.max(MIN_NAMES, need)];
        } else if (names.length - namesEnd < need) {
            boolean rewrite = deadBytes != 0 && !keepOffsets;
            long wanted = (long) (rewrite ? namesEnd - deadBytes : namesEnd) + need;
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("the names of one znode's children would exceed 2 GB");
            }
            if (rewrite) {
                rewriteNames(capped(2 * wanted));
            } else {
                names = Arrays.copyOf(names, capped(wanted + (wanted >> 1)));
            }
        }
        int offset = namesEnd;
        namesEnd = NameEntries.write(names, offset, bytes, path, from, to);
        return offset;
    }

    /** A length for the names array: at least MIN_NAMES, at most what a Java array can be. */
    private static int capped(long length) {
        return (int) Math.max(MIN_NAMES, Math.min(length, Integer.MAX_VALUE - 16));
    }

    /** Copies the live names into a new array of that length, in table order, and points their keys at them. */
    private void rewriteNames(int length) {
        byte[] old = names;
        byte[] fresh = new byte[length];
        int end = 0;
        long[] keys = this.keys;
        for (int i = 0; i < keys.length; i++) {
            long key = keys[i];
            if (key < 0) {
                int offset = (int) key - 1;
                int entry = NameEntries.length(old, offset);
                System.arraycopy(old, offset, fresh, end, entry);
                keys[i] = key & TAG_BITS | (end + 1);
                end += entry;
            }
        }
        names = fresh;
        namesEnd = end;
        deadBytes = 0;
    }
}
