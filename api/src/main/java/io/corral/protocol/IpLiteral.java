package io.corral.protocol;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IP address written as a literal, read without asking DNS: a server's start-up must not hang on a resolver, and
 * a client's actor must not block on one. Anything else (a host name) is not read at all.
 */
public final class IpLiteral {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    // A hex digit or ':' first, a ':' somewhere, nothing else but hex, ':' and '.': InetAddress.getByName then
    // treats it as a literal (and fails if it is not one) instead of looking it up.
    private static final Pattern IPV6 = Pattern.compile("(?=.*:)[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    private IpLiteral() {
    }

    /** Whether text has the shape of an IPv4 literal (four groups of 1-3 digits), valid or not. */
    public static boolean looksIpv4(String text) {
        return IPV4.matcher(text).matches();
    }

    /** Whether text, without the brackets of {@code [v6]}, has the shape of an IPv6 literal, valid or not. */
    public static boolean looksIpv6(String text) {
        return IPV6.matcher(unbracketed(text)).matches();
    }

    /** The address an IPv4 or IPv6 literal (bracketed or not) names, or null when text is none (never looked up). */
    public static InetAddress parse(String text) {
        if (looksIpv4(text)) {
            return ipv4(text);
        }
        if (looksIpv6(text)) {
            try {
                return InetAddress.getByName(unbracketed(text));
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    private static String unbracketed(String text) {
        return text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    }

    // Parsed by hand: InetAddress would read "010" as octal, or fall back to DNS for an octet above 255.
    private static InetAddress ipv4(String text) {
        String[] parts = text.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(parts[i]);
            if (octet > 255) {
                return null;
            }
            bytes[i] = (byte) octet;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always a valid address", e);
        }
    }
}
