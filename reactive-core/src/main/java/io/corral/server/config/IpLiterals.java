package io.corral.server.config;

import io.corral.protocol.IpLiteral;

import java.net.InetAddress;

/**
 * Turns a bind address from the config into an {@link InetAddress} without asking DNS: start-up must not hang
 * on, or depend on, a resolver. Only IP literals ({@link IpLiteral}) and {@code localhost} are accepted.
 */
final class IpLiterals {

    private IpLiterals() {
    }

    static InetAddress parse(String key, String value) {
        if (value.equalsIgnoreCase("localhost")) {
            return InetAddress.getLoopbackAddress();
        }
        InetAddress address = IpLiteral.parse(value);
        if (address != null) {
            return address;
        }
        if (IpLiteral.looksIpv4(value)) {
            throw ConfigException.invalid(key, value, "not a valid IPv4 address");
        }
        if (IpLiteral.looksIpv6(value)) {
            throw ConfigException.invalid(key, value, "not a valid IPv6 address");
        }
        throw ConfigException.invalid(key, value, "must be an IP address or localhost (host names are not resolved)");
    }
}
