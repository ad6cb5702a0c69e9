package io.corral.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A {@link LinkProxy} in front of a plain TCP echo server. */
class LinkProxyTest {

    private ServerSocket echo;
    private LinkProxy link;

    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (true) {
                Socket s;
                try {
                    s = echo.accept();
                } catch (IOException e) {
                    return;
                }
                Thread handler = new Thread(() -> {
                    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException ignored) {
                        // the proxy reset it
                    }
                }, "echo-handler");
                handler.setDaemon(true);
                handler.start();
            }
        }, "echo-accept");
        t.setDaemon(true);
        t.start();
        link = new LinkProxy("test", echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        link.close();
        echo.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), link.listenPort(echo.getLocalPort())),
                2_000);
        s.setSoTimeout(5_000);
        return s;
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        s.getOutputStream().write(bytes);
        byte[] back = s.getInputStream().readNBytes(bytes.length);
        return new String(back, StandardCharsets.UTF_8);
    }

    /** True once the other end closed or reset the connection (a read then ends or fails at once). */
    private static boolean closedByPeer(Socket s) {
        try {
            return s.getInputStream().read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * True if a new connection through the proxy is refused: the reset can beat the end of the client's connect
     * on loopback, so either the connect fails or the first read finds the connection closed.
     */
    private boolean newConnectionRefused() {
        try (Socket s = connect()) {
            return closedByPeer(s);
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void forwardsBothWays() throws IOException {
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "hello")).isEqualTo("hello");
            assertThat(roundTrip(s, "again")).isEqualTo("again");
            assertThat(link.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void cutResetsOpenConnectionsAndRefusesNewOnesUntilRestored() throws IOException {
        try (Socket before = connect()) {
            assertThat(roundTrip(before, "ping")).isEqualTo("ping");
            link.cut();
            assertThat(link.isCut()).isTrue();
            assertThat(closedByPeer(before)).as("the open connection is reset").isTrue();
        }
        assertThat(link.openConnections()).isZero();
        assertThat(newConnectionRefused()).as("a new connection is refused while cut").isTrue();
        assertThat(link.acceptedAndRefused()[1]).isEqualTo(1);
        link.restore();
        try (Socket after = connect()) {
            assertThat(roundTrip(after, "pong")).isEqualTo("pong");
        }
        assertThat(link.acceptedAndRefused()[0]).isEqualTo(2);
    }

    @Test
    void endOfInputEndsTheForwardedConnection() throws IOException {
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "x")).isEqualTo("x");
            s.shutdownOutput(); // the proxy sees end of input and ends both sides
            assertThat(closedByPeer(s)).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> link.openConnections() == 0);
    }

    @Test
    void aTargetThatIsDownLooksDownThroughTheProxy() throws IOException {
        echo.close();
        assertThat(newConnectionRefused()).isTrue();
    }

    @Test
    void onlyTheTargetPortsItWasGivenHaveAListener() {
        assertThatThrownBy(() -> link.listenPort(1)).isInstanceOf(IllegalArgumentException.class);
    }
}
