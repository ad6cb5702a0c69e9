package io.corral.server.childjvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class FourLetterWordClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void sendsTheWordAndReadsTheAnswerUntilTheServerCloses() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String answer = "line 1\nline 2\n";
            CompletableFuture<String> heard = CompletableFuture.supplyAsync(() -> answerOnce(listener, answer));
            assertThat(FourLetterWordClient.ask(listener.getLocalPort(), "srvr", TIMEOUT)).isEqualTo(answer);
            assertThat(heard.get(5, TimeUnit.SECONDS)).isEqualTo("srvr");
        }
    }

    @Test
    void nobodyListeningIsNull() throws IOException {
        int port;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = gone.getLocalPort();
        }
        assertThat(FourLetterWordClient.ask(port, "ruok", TIMEOUT)).isNull();
    }

    /** Accepts one connection, reads the four letters, writes {@code answer} and closes, as a server does. */
    private static String answerOnce(ServerSocket listener, String answer) {
        try (Socket s = listener.accept()) {
            InputStream in = s.getInputStream();
            String word = new String(in.readNBytes(4), StandardCharsets.US_ASCII);
            OutputStream out = s.getOutputStream();
            out.write(answer.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return word;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
