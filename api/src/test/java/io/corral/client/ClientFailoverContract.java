package io.corral.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.corral.protocol.CreateMode;
import io.corral.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * Connection loss, reconnection with the same session (credentials and watches restored), servers that are behind,
 * and the two ways a session expires. Connections are broken with a {@link TcpProxy} between client and server.
 */
public abstract class ClientFailoverContract extends AbstractClientContract {

    /** Cuts the client's connection and waits until it is back (SUSPENDED, then RECONNECTED). */
    private static void cutAndAwaitReconnect(CorralClient c, TcpProxy proxy) {
        StepVerifier.create(c.states().skip(1).take(2))
                .then(proxy::cutAll)
                .expectNext(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED)
                .verifyComplete();
    }

    @Test
    void inFlightRequestsFailWithConnectionLossAndTheSessionSurvives() {
        TcpProxy proxy = proxy(server.connectString());
        CorralClient c = connect(proxy.connectString(), options().digest("bob", "pw").build());
        CorralClient observer = connect();
        String p = root("loss");
        run(c.create(p, bytes("0"), CreateMode.EPHEMERAL));
        long session = c.sessionId();

        proxy.holdReplies(true);
        StepVerifier inFlight = StepVerifier.create(c.getData(p))
                .expectErrorSatisfies(e -> assertThat(KeeperErrorException.hasCode(e, ErrorCode.CONNECTION_LOSS))
                        .as("%s", e).isTrue())
                .verifyLater();
        StepVerifier.create(c.requestCounts()).assertNext(n -> assertThat(n[0]).isEqualTo(1)).verifyComplete();
        StepVerifier states = StepVerifier.create(c.states().skip(1).take(2))
                .expectNext(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED)
                .expectComplete()
                .verifyLater();
        proxy.cutAll();
        inFlight.verify(TIMEOUT);
        proxy.holdReplies(false);
        states.verify(TIMEOUT);

        assertThat(c.sessionId()).isEqualTo(session);
        assertThat(c.state()).isEqualTo(ConnectionState.RECONNECTED);
        StepVerifier.create(observer.exists(p)).assertNext(s -> assertThat(s.ephemeralOwner()).isEqualTo(session))
                .verifyComplete();
        StepVerifier.create(c.whoAmI()) // credentials were sent again
                .assertNext(ids -> assertThat(ids).contains(new io.corral.protocol.ClientInfo("digest", "bob")))
                .verifyComplete();
        StepVerifier.create(c.getData(p)).assertNext(d -> assertThat(str(d.data())).isEqualTo("0"))
                .verifyComplete();
    }

    @Test
    void watchesSurviveAReconnect() {
        TcpProxy proxy = proxy(server.connectString());
        CorralClient c = connect(proxy.connectString(), options().build());
        CorralClient writer = connect();
        String p = root("survive");
        run(writer.create(p, bytes("0")));
        StepVerifier.create(c.watchData(p).map(v -> str(v.data())).mergeWith(
                        c.watch(p, WatchMode.SUBTREE).map(e -> e.type() + " " + e.path())))
                .expectNext("0")
                .then(() -> cutAndAwaitReconnect(c, proxy))
                .then(() -> run(writer.setData(p, bytes("1"))))
                .expectNextMatches(s -> s.equals("1") || s.equals("NODE_DATA_CHANGED " + p))
                .expectNextMatches(s -> s.equals("1") || s.equals("NODE_DATA_CHANGED " + p))
                .then(() -> run(writer.create(p + "/x", null)))
                .expectNext("NODE_CREATED " + p + "/x")
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void changesMadeWhileDisconnectedAreReportedAfterReconnect() {
        TcpProxy proxy = proxy(server.connectString());
        CorralClient c = connect(proxy.connectString(), options().build());
        CorralClient writer = connect();
        String p = root("missed");
        run(writer.create(p, bytes("0")));
        StepVerifier.create(c.watchData(p).map(v -> str(v.data())))
                .expectNext("0")
                .then(() -> {
                    proxy.refuse(true);
                    StepVerifier.create(c.states().skip(1).take(1))
                            .then(proxy::cutAll)
                            .expectNext(ConnectionState.SUSPENDED)
                            .verifyComplete();
                    run(writer.setData(p, bytes("1")));
                    proxy.refuse(false);
                })
                .expectNext("1")
                .thenCancel()
                .verify(TIMEOUT);
        assertThat(c.state()).isEqualTo(ConnectionState.RECONNECTED);
    }

    @Test
    void skipsAServerThatIsBehindTheLastZxidSeen() {
        TestServer behind = freshServer();
        TcpProxy toCurrent = proxy(server.connectString());
        TcpProxy toBehind = proxy(behind.connectString());
        CorralClient c = connect(toCurrent.connectString() + "," + toBehind.connectString(),
                options().shuffleHosts(false).build()); // on the current server first
        String p = root("behind");
        run(c.create(p, bytes("x")));
        long session = c.sessionId();

        toCurrent.refuse(true);
        StepVerifier.create(c.states().skip(1).take(2))
                .then(toCurrent::cutAll)
                .expectNext(ConnectionState.SUSPENDED)
                .then(() -> StepVerifier.create(toBehind.events().filter("upstream-closed"::equals).take(1))
                        .expectNext("upstream-closed") // the stale server closed the connection without a reply
                        .verifyComplete())
                .then(() -> toCurrent.refuse(false))
                .expectNext(ConnectionState.RECONNECTED)
                .verifyComplete();
        assertThat(c.sessionId()).isEqualTo(session);
        StepVerifier.create(c.getData(p)).assertNext(d -> assertThat(str(d.data())).isEqualTo("x")).verifyComplete();
    }

    @Test
    void expiresWhenNoServerAnswersWithinTheSessionTimeout() {
        TcpProxy proxy = proxy(server.connectString());
        CorralClient c = connect(proxy.connectString(), options().sessionTimeout(Duration.ofSeconds(4)).build());
        String p = root("unreachable");
        run(c.create(p, null));
        StepVerifier.create(c.watchData(p).map(NodeValue::exists))
                .expectNext(true)
                .then(() -> {
                    proxy.refuse(true);
                    StepVerifier.create(c.states().skip(1))
                            .then(proxy::cutAll)
                            .expectNext(ConnectionState.SUSPENDED, ConnectionState.EXPIRED)
                            .verifyComplete();
                })
                .expectErrorSatisfies(e -> assertThat(KeeperErrorException.hasCode(e, ErrorCode.SESSION_EXPIRED))
                        .as("%s", e).isTrue())
                .verify(TIMEOUT);
        expectError(c.getData(p), ErrorCode.SESSION_EXPIRED, p);
    }

    @Test
    void expiresWhenTheServerRejectsTheSession() {
        TcpProxy proxy = proxy(server.connectString());
        CorralClient c = connect(proxy.connectString(), options().build());
        String p = root("rejected");
        run(c.create(p, null));
        byte[] password = await(c.password());
        StepVerifier.create(c.watch(p, WatchMode.NODE))
                .then(() -> run(c.sync("/")))
                .then(() -> {
                    proxy.refuse(true);
                    StepVerifier.create(c.states().skip(1).take(1))
                            .then(proxy::cutAll)
                            .expectNext(ConnectionState.SUSPENDED)
                            .verifyComplete();
                    // another connection takes the session over and closes it
                    CorralClient thief = await(CorralClient.resume(server.connectString(), options().build(),
                            c.sessionId(), password));
                    run(thief.close());
                    StepVerifier.create(c.states().skip(1))
                            .then(() -> proxy.refuse(false))
                            .expectNext(ConnectionState.EXPIRED)
                            .verifyComplete();
                })
                .expectErrorSatisfies(e -> assertThat(KeeperErrorException.hasCode(e, ErrorCode.SESSION_EXPIRED))
                        .as("%s", e).isTrue())
                .verify(TIMEOUT);
        expectError(c.exists(p), ErrorCode.SESSION_EXPIRED, p);
        StepVerifier.create(c.close()).verifyComplete();
    }

    @Test
    void aServerListWithoutTheCurrentServerMovesTheSessionOnceTheRequestsInFlightAreAnswered() {
        TcpProxy from = proxy(server.connectString());
        TcpProxy to = proxy(server.connectString()); // the same server under another address
        CorralClient c = connect(from.connectString(), options().build());
        CorralClient writer = connect();
        String p = root("rebalance");
        run(writer.create(p, bytes("0")));
        long session = c.sessionId();
        Watched<NodeData> watched = await(c.getDataAndWatch(p));

        from.holdReplies(true);
        StepVerifier inFlight = StepVerifier.create(c.getData(p).map(d -> str(d.data())))
                .expectNext("0").expectComplete().verifyLater();
        StepVerifier states = StepVerifier.create(c.states().skip(1).take(2))
                .expectNext(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED).expectComplete().verifyLater();
        c.updateServerList(to.connectString());
        StepVerifier later = StepVerifier.create(c.getData(p).map(d -> str(d.data())))
                .expectNext("0").expectComplete().verifyLater();
        // the old server's reply is held: the client stays until it comes, and a later request waits for the move
        StepVerifier.create(c.requestCounts()).assertNext(n -> assertThat(n).containsExactly(1, 1)).verifyComplete();
        assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
        from.holdReplies(false);
        inFlight.verify(TIMEOUT);
        states.verify(TIMEOUT);
        later.verify(TIMEOUT);
        assertThat(c.sessionId()).isEqualTo(session);
        StepVerifier.create(to.events().take(1)).expectNext("accepted").verifyComplete();

        // the watch set before the move fires after it
        run(writer.setData(p, bytes("1")));
        StepVerifier.create(watched.change().map(WatchEvent::type)).expectNext(WatchEvent.Type.NODE_DATA_CHANGED)
                .verifyComplete();
        cutAndAwaitReconnect(c, to); // it is on the new address
        assertThat(c.sessionId()).isEqualTo(session);
    }

    @Test
    void aServerListIsRefusedWhenEmptyMalformedOrUnderAnotherChroot() {
        CorralClient c = connect(server.connectString() + "/", options().build()); // "/" is no chroot
        for (String bad : new String[] {"", " , ", "127.0.0.1:notaport", "127.0.0.1:1/elsewhere"}) {
            assertThatThrownBy(() -> c.updateServerList(bad)).as("'%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        c.updateServerList(server.connectString() + "/"); // the same servers: it stays
        run(c.exists("/"));
        assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
    }
}
