package io.corral.server.peer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import io.corral.net.LoopbackPorts;
import org.awaitility.Awaitility;

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

    /** Two transports on loopback; their events are pumped on the test thread only (the inbox has one consumer). */
    private final class TwoServers {
        final Map<Long, InetSocketAddress> all = reservePorts(2);
        final List<PeerEvent> at1 = new ArrayList<>();
        final List<PeerEvent> at2 = new ArrayList<>();
        final PeerTransport one = start(1, all);
        final PeerTransport two = start(2, all);

        void await(BooleanSupplier condition) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                pump(one, at1);
                pump(two, at2);
                return condition.getAsBoolean();
            });
        }

        long connects(List<PeerEvent> events) {
            return events.stream().filter(e -> e instanceof PeerEvent.Connected).count();
        }
    }

    private static Map<Long, InetSocketAddress> reservePorts(int n) {
        List<Integer> ports = LoopbackPorts.reserve(n);
        Map<Long, InetSocketAddress> all = new HashMap<>();
        for (int i = 0; i < n; i++) {
            all.put(i + 1L, new InetSocketAddress("127.0.0.1", ports.get(i)));
        }
        return all;
    }

    private PeerTransport start(long id, Map<Long, InetSocketAddress> all) {
        Map<Long, InetSocketAddress> others = new HashMap<>(all);
        others.remove(id);
        PeerTransport t = new PeerTransport(id, all.get(id), others, 1 << 20, TEXT, () -> { }, PeerTls.PLAINTEXT);
        transports.add(t);
        return t;
    }

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
    void twoServersConnectOnceAndExchangeMessagesBothWays() {
        TwoServers s = new TwoServers();
        s.await(() -> s.connects(s.at1) == 1 && s.connects(s.at2) == 1);
        assertThat(s.at1).first().isInstanceOfSatisfying(PeerEvent.Connected.class,
                c -> assertThat(c.peer()).isEqualTo(2));
        assertThat(s.at2).first().isInstanceOfSatisfying(PeerEvent.Connected.class,
                c -> assertThat(c.peer()).isEqualTo(1));

        for (int i = 0; i < 100; i++) {
            assertThat(s.one.send(2, ("to-2-" + i).getBytes(StandardCharsets.UTF_8))).isTrue();
            assertThat(s.two.send(1, ("to-1-" + i).getBytes(StandardCharsets.UTF_8))).isTrue();
        }
        s.await(() -> received(s.at1).size() == 100 && received(s.at2).size() == 100);
        assertThat(received(s.at2)).startsWith("to-2-0", "to-2-1").endsWith("to-2-99");
        assertThat(received(s.at1)).startsWith("to-1-0").endsWith("to-1-99");
        assertThat(s.connects(s.at1)).as("one link per pair of servers").isEqualTo(1);
    }

    /**
     * A server that starts asks the peers with a higher id to dial it: here the peer's back-off is an hour, so only
     * that request can bring the link up.
     */
    @Test
    void aServerThatStartsIsDialedAtOnceWhenItAsks() {
        Map<Long, InetSocketAddress> all = reservePorts(2);
        List<PeerEvent> at1 = new ArrayList<>();
        List<PeerEvent> at2 = new ArrayList<>();
        Map<Long, InetSocketAddress> toOne = new HashMap<>(all);
        toOne.remove(2L);
        PeerTransport two = new PeerTransport(2, all.get(2L), toOne, 1 << 20, TEXT, () -> { },
                Duration.ofHours(1), Duration.ofHours(1));
        transports.add(two);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> two.waitsToRedial(1));
        PeerTransport one = start(1, all);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            pump(one, at1);
            pump(two, at2);
            return at1.stream().anyMatch(e -> e instanceof PeerEvent.Connected)
                    && at2.stream().anyMatch(e -> e instanceof PeerEvent.Connected);
        });
        assertThat(at2).first().isInstanceOfSatisfying(PeerEvent.Connected.class,
                c -> assertThat(c.peer()).isEqualTo(1));
    }

    /**
     * A new server (2) dials the member it knows (1) before a reconfig adds it; when the reconfig makes 2 a member of
     * 1's peers, 1 must not ask 2 to dial it: 2 would take that for a restart of 1 and close the live link, which
     * the process test saw drop a freshly elected leader's followers (and a follower then waited syncLimit).
     */
    @Test
    void aNewMemberAlreadyLinkedKeepsItsLinkWhenAReconfigAddsIt() {
        Map<Long, InetSocketAddress> all = reservePorts(2);
        List<PeerEvent> at1 = new ArrayList<>();
        List<PeerEvent> at2 = new ArrayList<>();
        PeerTransport one = new PeerTransport(1, all.get(1L), Map.of(), 1 << 20, TEXT, () -> { },
                PeerTls.PLAINTEXT);
        transports.add(one);
        one.acceptUnknownPeers();
        PeerTransport two = new PeerTransport(2, all.get(2L), Map.of(1L, all.get(1L)), 1 << 20, TEXT, () -> { },
                PeerTls.PLAINTEXT);
        transports.add(two);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            pump(one, at1);
            pump(two, at2);
            return at1.stream().anyMatch(e -> e instanceof PeerEvent.Connected)
                    && at2.stream().anyMatch(e -> e instanceof PeerEvent.Connected);
        });

        one.updatePeers(Map.of(2L, all.get(2L)));
        // an ask to dial goes out at once: the link would drop within milliseconds
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> {
            pump(one, at1);
            pump(two, at2);
            return at1.stream().noneMatch(e -> e instanceof PeerEvent.Disconnected)
                    && at2.stream().noneMatch(e -> e instanceof PeerEvent.Disconnected);
        });
        assertThat(one.send(2, "still-linked".getBytes(StandardCharsets.UTF_8))).isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            pump(two, at2);
            return received(at2).contains("still-linked");
        });
    }

    @Test
    void aMalformedMessageClosesTheLinkWhichIsThenRedialed() {
        TwoServers s = new TwoServers();
        // a side sends only once it has the other's hello: 1 has attached before 2 has
        s.await(() -> s.connects(s.at1) == 1 && s.connects(s.at2) == 1);
        assertThat(s.two.send(1, "!garbage".getBytes(StandardCharsets.UTF_8))).isTrue();
        s.await(() -> s.connects(s.at1) == 2 && s.connects(s.at2) == 2
                && s.at1.stream().anyMatch(e -> e instanceof PeerEvent.Disconnected));
        assertThat(received(s.at1)).isEmpty();
        assertThat(s.two.send(1, "after".getBytes(StandardCharsets.UTF_8))).isTrue();
        s.await(() -> received(s.at1).contains("after"));
    }

    @Test
    void aStrangerIsRefusedWhateverItSends() throws Exception {
        Map<Long, InetSocketAddress> all = reservePorts(2);
        List<PeerEvent> at1 = new ArrayList<>();
        PeerTransport one = start(1, all);
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

    /**
     * A peer that stops reading fills the link's queue, and the send that does not fit closes the link. The queue
     * drains while the close is on its way: a later send must not slip in behind the lost message, which the peer
     * would then get after a gap.
     */
    @Test
    void nothingSentAfterARefusedMessageReachesThePeer() throws Exception {
        Map<Long, InetSocketAddress> all = reservePorts(2);
        List<PeerEvent> at1 = new ArrayList<>();
        PeerTransport one = start(1, all);
        try (Socket peer = new Socket()) {
            peer.setReceiveBufferSize(4096);
            peer.connect(all.get(1L));
            peer.getOutputStream().write(hello(Hello.VERSION, 2, 1));
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(peer.getInputStream()));
            in.readFully(new byte[in.readInt()]); // its hello
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                pump(one, at1);
                return at1.stream().anyMatch(e -> e instanceof PeerEvent.Connected);
            });
            long sent = 0;
            while (one.send(2, counter(sent))) {
                sent++;
                assertThat(sent).as("the link never filled").isLessThan(50_000_000L);
            }
            // the peer reads again, which drains the queue: whatever is sent meanwhile must be refused too
            long[] next = {0};
            for (int i = 1; i <= 100_000; i++) {
                assertThat(one.send(2, counter(sent + i))).as("a send after the refused one").isFalse();
                if (!readFrames(in, next, true)) {
                    break;
                }
            }
            readFrames(in, next, false);
            assertThat(next[0]).as("the peer got only messages sent before the refused one").isLessThanOrEqualTo(sent);
        }
    }

    /**
     * Reads frames, each a counter that must be the next one; only what is available if {@code available}, else up
     * to the end of the stream. False once the stream ended.
     */
    private static boolean readFrames(DataInputStream in, long[] next, boolean available) throws IOException {
        try {
            while (!available || in.available() >= 4 + 256) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                assertThat(java.nio.ByteBuffer.wrap(frame).getLong()).as("the next message").isEqualTo(next[0]++);
            }
            return true;
        } catch (java.io.EOFException | java.net.SocketException closed) {
            return false;
        }
    }

    /** a message of 256 bytes that starts with {@code n}: a few of them fill the socket's buffers */
    private static byte[] counter(long n) {
        return java.nio.ByteBuffer.allocate(256).putLong(n).array();
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
