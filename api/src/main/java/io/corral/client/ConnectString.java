package io.corral.client;

import java.util.ArrayList;
import java.util.List;

/** A parsed connect string: {@code host:port[,host:port...][/chroot]}. The port defaults to 2181. */
record ConnectString(List<HostPort> hosts, Chroot chroot) {

    record HostPort(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    static ConnectString parse(String connectString) {
        if (connectString == null || connectString.isBlank()) {
            throw new IllegalArgumentException("empty connect string");
        }
        String hostsPart = connectString.trim();
        Chroot chroot = Chroot.NONE;
        int slash = hostsPart.indexOf('/');
        if (slash >= 0) {
            chroot = Chroot.of(hostsPart.substring(slash));
            hostsPart = hostsPart.substring(0, slash);
        }
        List<HostPort> hosts = new ArrayList<>();
        for (String item : hostsPart.split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            hosts.add(hostPort(s));
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no server in connect string: " + connectString);
        }
        return new ConnectString(List.copyOf(hosts), chroot);
    }

    private static HostPort hostPort(String s) {
        String host = s;
        int port = 2181;
        if (s.startsWith("[")) { // [ipv6]:port
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("bad address: " + s);
            }
            host = s.substring(1, close);
            if (close + 1 < s.length()) {
                if (s.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("bad address: " + s);
                }
                port = port(s.substring(close + 2), s);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') == colon) {
                host = s.substring(0, colon);
                port = port(s.substring(colon + 1), s);
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("bad address: " + s);
        }
        return new HostPort(host, port);
    }

    private static int port(String p, String whole) {
        try {
            int port = Integer.parseInt(p.trim());
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("bad port in " + whole);
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + whole);
        }
    }
}
