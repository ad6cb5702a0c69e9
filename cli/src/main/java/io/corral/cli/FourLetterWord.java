package io.corral.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A four-letter word sent to a server's client port, as {@code nc} would: the word, then the whole answer until the
 * server closes the connection. Runs on the shell's own thread (it blocks), with a bounded wait.
 */
final class FourLetterWord {
    private static final int TIMEOUT_MILLIS = 5_000;
    private static final int MAX_ANSWER = 1 << 20;

    private FourLetterWord() {
    }

    /** The answer of {@code hostPort} to {@code word}. */
    static String ask(String hostPort, String word) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IOException("not a host:port: " + hostPort);
        }
        String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IOException("not a host:port: " + hostPort);
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0 && answer.size() < MAX_ANSWER) {
                answer.write(buffer, 0, n);
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    /** The servers of a connect string ({@code host:port,host:port/chroot}). */
    static List<String> servers(String connectString) {
        int slash = connectString.indexOf('/');
        String hosts = slash < 0 ? connectString : connectString.substring(0, slash);
        List<String> servers = new ArrayList<>();
        for (String server : hosts.split(",")) {
            if (!server.isBlank()) {
                servers.add(server.trim());
            }
        }
        return servers;
    }

    /** The Mode line of a {@code srvr} answer ("leader", "follower", ...), or null. */
    static String mode(String srvr) {
        for (String line : srvr.split("\n")) {
            if (line.startsWith("Mode:")) {
                return line.substring("Mode:".length()).trim();
            }
        }
        return null;
    }
}
