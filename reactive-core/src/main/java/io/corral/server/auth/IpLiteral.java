package io.corral.server.auth;

/**
 * The {@code ip} scheme: IPv4/IPv6 literals (never host names, so no DNS) and {@code address/prefixbits} ACL ids.
 *
 * <p>Numbers are read with {@link Integer#parseInt}, which is what makes the reference accept the same odd spellings
 * we do ({@code 001.2.3.4}, {@code +1::}, a 16-bit wrap of {@code -1::} to {@code ffff::}, non-ASCII digits). Being
 * exactly as lenient keeps ACLs that the reference accepts valid here too.
 */
final class IpLiteral {
    private static final int V6_GROUPS = 8;

    private IpLiteral() {
    }

    /** Whether {@code aclId} is {@code address} or {@code address/bits} with bits within the address length. */
    static boolean isValidAclId(String aclId) {
        return aclId != null && prefixBits(aclId, parseAddressPart(aclId)) >= 0;
    }

    /** Whether the connection address {@code remoteIp} lies in the range the ACL id {@code aclId} names. */
    static boolean matches(String remoteIp, String aclId) {
        if (remoteIp == null || aclId == null) {
            return false;
        }
        byte[] remote = parse(remoteIp);
        byte[] range = parseAddressPart(aclId);
        int bits = prefixBits(aclId, range);
        if (remote == null || bits < 0 || remote.length != range.length) {
            return false; // IPv4 never matches an IPv6 range and vice versa
        }
        int fullBytes = bits / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (remote[i] != range[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (remote[fullBytes] & mask) == (range[fullBytes] & mask);
    }

    /** The 4 or 16 bytes of an address literal, or null. A ':' anywhere means IPv6. */
    static byte[] parse(String address) {
        return address.indexOf(':') >= 0 ? parseV6(address) : parseV4(address);
    }

    private static byte[] parseAddressPart(String aclId) {
        int slash = aclId.indexOf('/');
        return parse(slash < 0 ? aclId : aclId.substring(0, slash));
    }

    /** Prefix length of {@code aclId} (the full address when absent), or -1 when it or the address is invalid. */
    private static int prefixBits(String aclId, byte[] address) {
        if (address == null) {
            return -1;
        }
        int slash = aclId.indexOf('/');
        if (slash < 0) {
            return address.length * 8;
        }
        int bits = parseInt(aclId.substring(slash + 1), 10);
        return bits >= 0 && bits <= address.length * 8 ? bits : -1;
    }

    private static byte[] parseV4(String address) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value = parseInt(parts[i], 10);
            if (value < 0 || value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    private static byte[] parseV6(String address) {
        int gap = address.indexOf("::");
        if (gap >= 0 && address.indexOf("::", gap + 1) >= 0) {
            return null; // at most one "::"; this also rejects ":::"
        }
        int[] head = groups(gap < 0 ? address : address.substring(0, gap));
        int[] tail = groups(gap < 0 ? "" : address.substring(gap + 2));
        if (head == null || tail == null) {
            return null;
        }
        int count = head.length + tail.length;
        if (gap < 0 ? count != V6_GROUPS : count >= V6_GROUPS) {
            return null;
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < head.length; i++) {
            put(bytes, i, head[i]);
        }
        for (int i = 0; i < tail.length; i++) {
            put(bytes, V6_GROUPS - tail.length + i, tail[i]);
        }
        return bytes;
    }

    /** Colon-separated hex groups of 1-4 characters, each wrapped to 16 bits; null if any is malformed. */
    private static int[] groups(String text) {
        if (text.isEmpty()) {
            return new int[0];
        }
        String[] parts = text.split(":", -1);
        int[] values = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 4) {
                return null;
            }
            try {
                values[i] = Integer.parseInt(parts[i], 16) & 0xFFFF;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return values;
    }

    private static void put(byte[] bytes, int group, int value) {
        bytes[2 * group] = (byte) (value >>> 8);
        bytes[2 * group + 1] = (byte) value;
    }

    /** {@link Integer#parseInt}, or -1 when it refuses the text (callers only accept non-negative values). */
    private static int parseInt(String text, int radix) {
        try {
            return Integer.parseInt(text, radix);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
