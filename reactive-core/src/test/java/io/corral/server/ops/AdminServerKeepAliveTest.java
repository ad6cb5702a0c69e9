package io.corral.server.ops;

import io.corral.server.CorralServer;
import io.corral.server.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that follow one another on a kept-alive connection are all answered, whichever answer is ready at once and
 * whichever waits for the server. Reactor Netty 1.3.7 stopped reading a connection after it answered at once a
 * request it had queued behind an unfinished answer (reactor-netty#4361): the next request was read only when its
 * client gave up and closed the connection. In whole-suite runs that was a snapshot command timing out now and then
 * after a refused one (401, answered at once) on the same connection; here two requests sent together make the
 * queueing certain, and the one sent after their answers was never answered (this test failed on 1.3.7).
 */
class AdminServerKeepAliveTest {
    @TempDir
    Path dir;

    private CorralServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void pipelinedRequestsAreAllAnswered() throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("dataDir", dir.toString());
        keys.put("clientPort", "0");
        keys.put("clientPortAddress", "127.0.0.1");
        keys.put("admin.enableServer", "true");
        keys.put("admin.serverAddress", "127.0.0.1");
        keys.put("admin.serverPort", "0");
        server = CorralServer.start(ServerConfig.parse(keys));
        int port = server.adminAddress().getPort();
        // ruok waits for the sequencer; an unknown command is answered at once, on the event loop. Sent together,
        // the second is queued behind the first's unfinished answer; then one more request, sent on its own
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            InputStream in = socket.getInputStream();
            for (int round = 0; round < 20; round++) {
                send(socket, port, "/commands/ruok", "/commands/no_such_command");
                assertThat(readResponse(in)).startsWith("200 ").contains("\"command\" : \"ruok\"");
                assertThat(readResponse(in)).startsWith("200 ").contains("Unknown command: no_such_command");
                send(socket, port, "/commands/srvr");
                assertThat(readResponse(in)).as("round %d", round).startsWith("200 ")
                        .contains("\"command\" : \"server_stats\"");
            }
        }
    }

    private static void send(Socket socket, int port, String... paths) throws IOException {
        StringBuilder requests = new StringBuilder();
        for (String path : paths) {
            requests.append("GET ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(port).append("\r\n\r\n");
        }
        socket.getOutputStream().write(requests.toString().getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** One HTTP/1.1 response: its status code and reason, a space, and its body (by Content-Length or chunked). */
    private static String readResponse(InputStream in) throws IOException {
        String status = line(in);
        int length = -1;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            line(in);
        } else if (length > 0) {
            body.write(in.readNBytes(length));
        }
        return status.substring(status.indexOf(' ') + 1) + " " + body.toString(StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed after: " + sb);
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
