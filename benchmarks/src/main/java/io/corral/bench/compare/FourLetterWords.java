package io.corral.bench.compare;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Asks a server a four-letter word on its client port (Corral and ZooKeeper answer the same text). */
final class FourLetterWords {
    private static final Pattern NODE_COUNT = Pattern.compile("Node count: (\\d+)");

    private FourLetterWords() {
    }

    /** The answer, or null when the port does not answer (yet, or any more). */
    static String ask(int port, String word) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            socket.setSoTimeout(5_000);
            OutputStream os = socket.getOutputStream();
            os.write(word.getBytes(StandardCharsets.US_ASCII));
            os.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    static String srvr(int port) {
        return ask(port, "srvr");
    }

    /** True for a srvr answer from a server that serves clients (one that is not, says so instead). */
    static boolean serving(String srvr) {
        return srvr != null && srvr.contains("Node count:");
    }

    /** The "Mode:" of a srvr answer (leader, follower, observer, standalone), or null. */
    static String mode(String srvr) {
        if (srvr == null) {
            return null;
        }
        for (String line : srvr.split("\n")) {
            if (line.startsWith("Mode:")) {
                return line.substring("Mode:".length()).trim();
            }
        }
        return null;
    }

    /** The "Node count:" of a srvr answer, or -1. */
    static long nodeCount(String srvr) {
        if (srvr != null) {
            Matcher m = NODE_COUNT.matcher(srvr);
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        return -1;
    }
}
