package io.corral.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on 127.0.0.1 for servers that a test, a benchmark or the server's class-archive training run starts
 * and that bind them a moment later.
 *
 * <p>A port the kernel chose for a bind to port 0 and that was then released can be chosen again by the kernel for
 * anything in between: another bind to port 0, or the local end of an outgoing connection (one ZooKeeper peer
 * connecting to another), and the server meant to bind it then cannot (ZooKeeper goes on without its AdminServer, and
 * the port answers with another protocol). So the ports handed out here lie below the kernel's ephemeral range, which
 * it never picks on its own, and this JVM never hands out the same port twice.
 */
public final class LoopbackPorts {
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Below this, well-known and registered services are more likely to listen. */
    private static final int LOWEST = 10_000;

    private static int next = -1;
    private static int end;

    private LoopbackPorts() {
    }

    /** {@code count} distinct ports that were free when chosen and were never handed out before in this JVM. */
    public static synchronized List<Integer> reserve(int count) {
        if (next < 0) {
            end = ephemeralRangeStart();
            // a random start, so that two JVMs doing this at once rarely probe the same ports
            next = LOWEST + ThreadLocalRandom.current().nextInt(Math.max(1, (end - LOWEST) / 2));
        }
        List<Integer> ports = new ArrayList<>(count);
        while (ports.size() < count) {
            if (next >= end) {
                throw new IllegalStateException("no free port left below " + end + " in this JVM");
            }
            int port = next++;
            if (bindable(port)) {
                ports.add(port);
            }
        }
        return ports;
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    /** The first port of the kernel's ephemeral range (Linux); IANA's 49152 elsewhere. */
    private static int ephemeralRangeStart() {
        try {
            String range = Files.readString(EPHEMERAL_RANGE, StandardCharsets.US_ASCII).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > LOWEST + 1_000 ? start : 49_152;
        } catch (IOException | RuntimeException unreadable) {
            return 49_152;
        }
    }
}
