package io.corral.client.recipes;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One registered instance of a service, as {@link ServiceDiscovery} stores it: a service name, an instance id
 * (unique within the service, the node's name), an address and port, and free-form string attributes.
 *
 * <p>Stored payload, UTF-8 text, one {@code key=value} per line, keys {@code address}, {@code port}, then
 * {@code attr.<name>} per attribute, in sorted order; {@code %}, {@code =}, CR and LF in keys and values are written
 * as {@code %25}, {@code %3D}, {@code %0D}, {@code %0A}. The name and id come from the node's path.
 */
public record ServiceInstance(String name, String id, String address, int port, Map<String, String> attributes) {
    private static final String ATTRIBUTE = "attr.";

    public ServiceInstance {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        if (name.isEmpty() || name.contains("/") || id.isEmpty() || id.contains("/")) {
            throw new IllegalArgumentException("name and id must be non-empty node names: " + name + ", " + id);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        attributes = Map.copyOf(attributes);
    }

    public ServiceInstance(String name, String id, String address, int port) {
        this(name, id, address, port, Map.of());
    }

    /** The payload of this instance's node. */
    byte[] encode() {
        StringBuilder sb = new StringBuilder();
        line(sb, "address", address);
        line(sb, "port", Integer.toString(port));
        new TreeMap<>(attributes).forEach((k, v) -> line(sb, ATTRIBUTE + k, v));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The instance stored in node {@code id} of service {@code name}. */
    static ServiceInstance decode(String name, String id, byte[] payload) {
        String address = null;
        Integer port = null;
        Map<String, String> attributes = new LinkedHashMap<>();
        String text = payload == null ? "" : new String(payload, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("bad service payload line in " + name + "/" + id + ": " + line);
            }
            String key = unescape(line.substring(0, eq));
            String value = unescape(line.substring(eq + 1));
            if (key.equals("address")) {
                address = value;
            } else if (key.equals("port")) {
                port = Integer.parseInt(value);
            } else if (key.startsWith(ATTRIBUTE)) {
                attributes.put(key.substring(ATTRIBUTE.length()), value);
            } // unknown keys: written by a newer version, ignored
        }
        if (address == null || port == null) {
            throw new IllegalArgumentException("service payload of " + name + "/" + id + " lacks address or port");
        }
        return new ServiceInstance(name, id, address, port, attributes);
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(escape(key)).append('=').append(escape(value)).append('\n');
    }

    private static String escape(String s) {
        return s.replace("%", "%25").replace("=", "%3D").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static String unescape(String s) {
        return s.replace("%0A", "\n").replace("%0D", "\r").replace("%3D", "=").replace("%25", "%");
    }
}
