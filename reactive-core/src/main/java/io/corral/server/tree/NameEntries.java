package io.corral.server.tree;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The entries {@link Children} packs its longer names into, one after the other in a byte array: a varint of the
 * name's length in bytes, then the name in UTF-8 (the form a getChildren reply sends it in). A valid path holds Basic
 * Multilingual Plane chars only, no surrogates ({@link PathValidator}), so a char is 1 to 3 bytes and a name compares
 * against a path's chars without decoding anything.
 */
final class NameEntries {
    private NameEntries() {
    }

    /** The UTF-8 bytes of path[from, to). */
    static int utf8Length(String path, int from, int to) {
        int bytes = 0;
        for (int i = from; i < to; i++) {
            char c = path.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }
        return bytes;
    }

    /** Writes the entry of path[from, to), {@code bytes} of UTF-8, at {@code at}; returns where it ends. */
    static int write(byte[] names, int at, int bytes, String path, int from, int to) {
        for (int v = bytes; ; v >>>= 7) {
            if ((v & ~0x7F) == 0) {
                names[at++] = (byte) v;
                break;
            }
            names[at++] = (byte) (v & 0x7F | 0x80);
        }
        for (int i = from; i < to; i++) {
            char c = path.charAt(i);
            if (c < 0x80) {
                names[at++] = (byte) c;
            } else if (c < 0x800) {
                names[at++] = (byte) (0xC0 | c >> 6);
                names[at++] = (byte) (0x80 | c & 0x3F);
            } else {
                names[at++] = (byte) (0xE0 | c >> 12);
                names[at++] = (byte) (0x80 | c >> 6 & 0x3F);
                names[at++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return at;
    }

    /** The header of the entry at offset: the name's UTF-8 bytes, a varint. */
    static int header(byte[] names, int offset) {
        int header = 0;
        int shift = 0;
        byte b;
        do {
            b = names[offset++];
            header |= (b & 0x7F) << shift;
            shift += 7;
        } while (b < 0);
        return header;
    }

    /** Bytes of a varint. */
    static int varintLength(int value) {
        int length = 1;
        while ((value & ~0x7F) != 0) {
            value >>>= 7;
            length++;
        }
        return length;
    }

    /** The whole entry at offset, header and bytes. */
    static int length(byte[] names, int offset) {
        int bytes = header(names, offset);
        return varintLength(bytes) + bytes;
    }

    /** The chars of the name at offset: its bytes less the UTF-8 continuation bytes. */
    static int chars(byte[] names, int offset) {
        int bytes = header(names, offset);
        int at = offset + varintLength(bytes);
        int end = at + bytes;
        int chars = 0;
        for (; at < end; at++) {
            if ((names[at] & 0xC0) != 0x80) {
                chars++;
            }
        }
        return chars;
    }

    /** The name at offset. */
    static String decode(byte[] names, int offset) {
        int bytes = header(names, offset);
        return new String(names, offset + varintLength(bytes), bytes, StandardCharsets.UTF_8);
    }

    /** Whether the entries at offsets a and b hold the same name. */
    static boolean same(byte[] names, int a, int b) {
        int length = length(names, a);
        return length == length(names, b) && Arrays.equals(names, a, a + length, names, b, b + length);
    }

    /** Whether the name at offset is path[from, to): its UTF-8 bytes against the chars, encoded one by one. */
    static boolean equals(byte[] names, int offset, String path, int from, int to) {
        int bytes = header(names, offset);
        int at = offset + varintLength(bytes);
        int end = at + bytes;
        if (end - at < to - from) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = path.charAt(i);
            if (c < 0x80) {
                if (at == end || names[at++] != c) {
                    return false;
                }
                continue;
            }
            int n = c < 0x800 ? 2 : 3; // as write encodes it
            if (end - at < n || names[at] != (byte) (n == 2 ? 0xC0 | c >> 6 : 0xE0 | c >> 12)
                    || n == 3 && names[at + 1] != (byte) (0x80 | c >> 6 & 0x3F)
                    || names[at + n - 1] != (byte) (0x80 | c & 0x3F)) {
                return false;
            }
            at += n;
        }
        return at == end;
    }
}
