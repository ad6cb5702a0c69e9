package io.corral.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Turns a bind address from the config into an {@link InetAddress} without asking DNS: start-up must not hang
 * on, or depend on, a resolver. Only IP literals and {@code localhost} are accepted.
 */
final class IpLiterals {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    // A hex digit or ':' first, a ':' somewhere, nothing else but hex, ':' and '.': InetAddress.getByName then
    // treats it as a literal (and fails if it is not one) instead of looking it up.
    private static final Pattern IPV6 = Pattern.compile("(?=.*:)[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    private IpLiterals() {
    }

    static InetAddress parse(String key, String value) {
        if (value.equalsIgnoreCase("localhost")) {
            return InetAddress.getLoopbackAddress();
        }
        if (IPV4.matcher(value).matches()) {
            return ipv4(key, value);
        }
        String bare = value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1) : value;
        if (IPV6.matcher(bare).matches()) {
            try {
                return InetAddress.getByName(bare);
            } catch (UnknownHostException e) {
                throw ConfigException.invalid(key, value, "not a valid IPv6 address");
            }
        }
        throw ConfigException.invalid(key, value, "must be an IP address or localhost (host names are not resolved)");
    }

    // Parsed by hand: InetAddress would read "010" as octal, or fall back to DNS for an octet above 255.
    private static InetAddress ipv4(String key, String value) {
        String[] parts = value.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(parts[i]);
            if (octet > 255) {
                throw ConfigException.invalid(key, value, "not a valid IPv4 address");
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
