package io.corral.server.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

class PeerTransportTest {
    private final List<PeerTransport> transports = new ArrayList<>();

    /** Decodes frames as UTF-8 text; a frame starting with '!' is "malformed". */
    private static final PeerTransport.Decoder TEXT = frame -> {
        String s = frame.toString(StandardCharsets.UTF_8);
        if (s.startsWith("!")) {
            throw new IllegalArgumentException("bad message");
        }
        return s;
    };

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private PeerTransport start(long id, Map<Long, InetSocketAddress> all, List<PeerEvent> sink) {
        PeerTransport[] self = new PeerTransport[1];
        Map<Long, InetSocketAddress> others = new java.util.HashMap<>(all);
        others.remove(id);
        PeerTransport t = new PeerTransport(id, all.get(id), others, 1 << 20, TEXT, () -> {
            PeerEvent e;
            while (self[0] != null && (e = self[0].poll()) != null) {
                sink.add(e);
            }
        });
        self[0] = t;
        transports.add(t);
        return t;
    }

    /** The sink is filled from the wake callback; events delivered before the field was set are polled here. */
    private static void pump(PeerTransport t, List<PeerEvent> sink) {
        PeerEvent e;
        while ((e = t.poll()) != null) {
            sink.add(e);
        }
    }

    @AfterEach
    void close() {
        transports.forEach(PeerTransport::close);
    }

    @Test
    void twoServersConnectOnceAndExchangeMessagesBothWays() throws IOException {
        Map<Long, InetSocketAddress> all = Map.of(
                1L, new InetSocketAddress("127.0.0.1", freePort()),
                2L, new InetSocketAddress("127.0.0.1", freePort()));
        List<PeerEvent> at1 = new CopyOnWriteArrayList<>();
        List<PeerEvent> at2 = new CopyOnWriteArrayList<>();
        PeerTransport one = start(1, all, at1);
        PeerTransport two = start(2, all, at2);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            pump(one, at1);
            pump(two, at2);
            return at1.stream().anyMatch(e -> e instanceof PeerEvent.Connected)
                    && at2.stream().anyMatch(e -> e instanceof PeerEvent.Connected);
        });
        assertThat(at1).first().isInstanceOfSatisfying(PeerEvent.Connected.class, c -> assertThat(c.peer()).isEqualTo(2));
        assertThat(at2).first().isInstanceOfSatisfying(PeerEvent.Connected.class, c -> assertThat(c.peer()).isEqualTo(1));

        for (int i = 0; i < 100; i++) {
            assertThat(one.send(2, ("to-2-" + i).getBytes(StandardCharsets.UTF_8))).isTrue();
            assertThat(two.send(1, ("to-1-" + i).getBytes(StandardCharsets.UTF_8))).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            pump(one, at1);
            pump(two, at2);
            return received(at1).size() == 100 && received(at2).size() == 100;
        });
        assertThat(received(at2)).startsWith("to-2-0", "to-2-1").endsWith("to-2-99");
        assertThat(received(at1)).startsWith("to-1-0").endsWith("to-1-99");
    }

    @Test
    void aMalformedMessageClosesTheLinkWhichIsThenRedialed() throws IOException {
        Map<Long, InetSocketAddress> all = Map.of(
                1L, new InetSocketAddress("127.0.0.1", freePort()),
                2L, new InetSocketAddress("127.0.0.1", freePort()));
        List<PeerEvent> at1 = new CopyOnWriteArrayList<>();
        List<PeerEvent> at2 = new CopyOnWriteArrayList<>();
        PeerTransport one = start(1, all, at1);
        PeerTransport two = start(2, all, at2);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            pump(one, at1);
            return at1.stream().anyMatch(e -> e instanceof PeerEvent.Connected);
        });
        two.send(1, "!garbage".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            pump(one, at1);
            pump(two, at2);
            return at1.stream().filter(e -> e instanceof PeerEvent.Connected).count() == 2
                    && at1.stream().anyMatch(e -> e instanceof PeerEvent.Disconnected);
        });
        assertThat(received(at1)).isEmpty();
        two.send(1, "after".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            pump(one, at1);
            return received(at1).contains("after");
        });
    }

    @Test
    void aStrangerIsRefusedWhateverItSends() throws Exception {
        Map<Long, InetSocketAddress> all = Map.of(
                1L, new InetSocketAddress("127.0.0.1", freePort()),
                2L, new InetSocketAddress("127.0.0.1", freePort()));
        List<PeerEvent> at1 = new CopyOnWriteArrayList<>();
        PeerTransport one = start(1, all, at1);
        // garbage, a hello of a wrong version, a hello from a server not in the ensemble, a huge length
        byte[][] attempts = {
                "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                hello(99, 2, 1),
                hello(Hello.VERSION, 7, 1),
                hello(Hello.VERSION, 2, 5),
                {0x7f, 0x7f, 0x7f, 0x7f, 1, 2, 3}};
        for (byte[] attempt : attempts) {
            try (Socket s = new Socket(all.get(1L).getAddress(), all.get(1L).getPort())) {
                s.getOutputStream().write(attempt);
                s.getOutputStream().flush();
                s.setSoTimeout(5000);
                assertThat(drainUntilClosed(new DataInputStream(s.getInputStream()))).isTrue();
            }
        }
        pump(one, at1);
        assertThat(at1).isEmpty();
    }

    private static boolean drainUntilClosed(DataInputStream in) throws IOException {
        try {
            while (in.read() >= 0) {
                // the server may not answer at all; it must close
            }
            return true;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    private static byte[] hello(int version, long sender, long receiver) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(Hello.SIZE);
        out.writeInt(Hello.MAGIC);
        out.writeInt(version);
        out.writeLong(sender);
        out.writeLong(receiver);
        return bytes.toByteArray();
    }

    private static List<String> received(List<PeerEvent> events) {
        List<String> texts = new ArrayList<>();
        for (PeerEvent e : events) {
            if (e instanceof PeerEvent.Received r) {
                texts.add((String) r.message());
            }
        }
        return texts;
    }
}
