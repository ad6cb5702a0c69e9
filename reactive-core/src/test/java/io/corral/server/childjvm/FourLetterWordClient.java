package io.corral.server.childjvm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Asks a server's client port a four-letter word ({@code ruok}, {@code srvr}, {@code mntr} ...) over plain TCP. */
public final class FourLetterWordClient {
    private FourLetterWordClient() {
    }

    /**
     * Sends {@code word} to 127.0.0.1:port and returns the whole answer (the server closes after it), or null if
     * nobody accepts or answers within {@code timeout} (e.g. not running, or paused).
     */
    public static String ask(int port, String word, Duration timeout) {
        int millis = (int) timeout.toMillis();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
