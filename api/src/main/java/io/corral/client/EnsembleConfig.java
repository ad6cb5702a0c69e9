package io.corral.client;

import java.util.ArrayList;
import java.util.List;

import io.corral.client.ConnectString.HostPort;

/**
 * The client addresses in the data of {@code /zookeeper/config}: one per {@code server.N} line, participant or
 * observer, that has a client part ({@code host:quorumPort:electionPort[:role][;[clientHost:]clientPort]}), in the
 * order of the lines. As Curator's ensemble tracker, a line without a client part adds nothing, and a wildcard
 * client host (none written, {@code 0.0.0.0}, {@code ::}) stands for the host of the line's first quorum address,
 * where the server can be reached. Malformed lines are skipped, as ZooKeeper's {@code ConfigUtils} skips them.
 */
final class EnsembleConfig {
    private EnsembleConfig() {
    }

    static List<HostPort> clientAddresses(String configData) {
        List<HostPort> hosts = new ArrayList<>();
        for (String raw : configData.split("\n")) {
            String line = raw.trim();
            int eq = line.indexOf('=');
            if (eq < 0 || !line.substring(0, eq).trim().startsWith("server.")) {
                continue;
            }
            HostPort client = clientAddress(line.substring(eq + 1).trim());
            if (client != null && !hosts.contains(client)) {
                hosts.add(client);
            }
        }
        return hosts;
    }

    /** The client address of one {@code server.N} value, or null if it has none or is malformed. */
    static HostPort clientAddress(String value) {
        int semicolon = value.indexOf(';');
        if (semicolon < 0) {
            return null;
        }
        String quorumHost = quorumHost(value.substring(0, semicolon).split("\\|")[0].trim());
        if (quorumHost == null) {
            return null;
        }
        String client = value.substring(semicolon + 1).trim();
        String clientHost = "";
        String port = client;
        int colon = client.lastIndexOf(':');
        if (colon >= 0) {
            clientHost = unbracket(client.substring(0, colon));
            port = client.substring(colon + 1);
        }
        if (clientHost.isEmpty() || isWildcard(clientHost)) {
            clientHost = quorumHost;
        }
        try {
            int p = Integer.parseInt(port.trim());
            return p < 1 || p > 65535 ? null : new HostPort(clientHost, p);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The host of {@code host:port:port[:role]} (an IPv6 host in brackets), or null if it is not of that form. */
    private static String quorumHost(String address) {
        String host;
        String rest;
        if (address.startsWith("[")) {
            int close = address.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = address.substring(1, close);
            rest = address.substring(close + 1);
        } else {
            int colon = address.indexOf(':');
            if (colon < 0) {
                return null;
            }
            host = address.substring(0, colon);
            rest = address.substring(colon);
        }
        String[] parts = rest.split(":", -1); // "", quorumPort, electionPort[, role]
        if (host.isEmpty() || parts.length < 3 || parts.length > 4 || !parts[0].isEmpty()) {
            return null;
        }
        return host;
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }
}
