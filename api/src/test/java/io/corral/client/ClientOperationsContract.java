package io.corral.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.corral.protocol.Acl;
import io.corral.protocol.ClientInfo;
import io.corral.protocol.CreateMode;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.Id;
import io.corral.protocol.OpCode;
import io.corral.protocol.Perms;
import io.corral.protocol.Stat;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Every operation of the client, its results and its errors. */
public abstract class ClientOperationsContract extends AbstractClientContract {

    @Test
    void connectsAndReportsTheSession() {
        CorralClient c = connect();
        assertThat(c.sessionId()).isNotZero();
        assertThat(c.sessionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
        StepVerifier.create(c.states().take(1)).expectNext(ConnectionState.CONNECTED).verifyComplete();
        StepVerifier.create(c.whoAmI())
                .assertNext(ids -> assertThat(ids).contains(new ClientInfo("ip", "127.0.0.1")))
                .verifyComplete();
    }

    @Test
    void createsInEveryMode() {
        CorralClient c = connect();
        String root = root("modes");
        Created persistent = await(c.create(root, bytes("p")));
        assertThat(persistent.path()).isEqualTo(root);
        assertThat(persistent.stat().ephemeralOwner()).isZero();
        assertThat(persistent.stat().dataLength()).isEqualTo(1);

        Created eph = await(c.create(root + "/e", bytes("e"), CreateMode.EPHEMERAL));
        assertThat(eph.stat().ephemeralOwner()).isEqualTo(c.sessionId());

        Created seq = await(c.create(root + "/s-", null, CreateMode.PERSISTENT_SEQUENTIAL));
        assertThat(seq.path()).matches(root + "/s-\\d{10}");
        Created eseq = await(c.create(root + "/es-", null, CreateMode.EPHEMERAL_SEQUENTIAL));
        assertThat(eseq.path()).matches(root + "/es-\\d{10}");
        assertThat(eseq.stat().ephemeralOwner()).isEqualTo(c.sessionId());

        Created container = await(c.create(root + "/c", null, CreateMode.CONTAINER));
        assertThat(container.path()).isEqualTo(root + "/c");
        assertThat(container.stat().ephemeralOwner()).isZero();

        Created ttl = await(c.createTtl(root + "/t", bytes("t"), Acl.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT_WITH_TTL, Duration.ofMinutes(5)));
        assertThat(ttl.path()).isEqualTo(root + "/t");
        Created ttlSeq = await(c.createTtl(root + "/ts-", null, Acl.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, Duration.ofMinutes(5)));
        assertThat(ttlSeq.path()).matches(root + "/ts-\\d{10}");

        StepVerifier.create(c.getChildren(root))
                .assertNext(ch -> {
                    assertThat(ch.names()).hasSize(6);
                    assertThat(ch.stat().numChildren()).isEqualTo(6);
                })
                .verifyComplete();
        StepVerifier.create(c.getEphemerals(root))
                .assertNext(list -> assertThat(list).containsExactlyInAnyOrder(eph.path(), eseq.path()))
                .verifyComplete();
    }

    @Test
    void readsWritesAndDeletesWithVersions() {
        CorralClient c = connect();
        String p = root("rw");
        StepVerifier.create(c.exists(p)).verifyComplete();
        await(c.create(p, bytes("v0")));
        StepVerifier.create(c.exists(p)).assertNext(s -> assertThat(s.version()).isZero()).verifyComplete();
        StepVerifier.create(c.getData(p))
                .assertNext(d -> {
                    assertThat(str(d.data())).isEqualTo("v0");
                    assertThat(d.stat().version()).isZero();
                })
                .verifyComplete();
        StepVerifier.create(c.setData(p, bytes("v1"), 0)).assertNext(s -> assertThat(s.version()).isEqualTo(1))
                .verifyComplete();
        StepVerifier.create(c.setData(p, bytes("v2"))).assertNext(s -> assertThat(s.version()).isEqualTo(2))
                .verifyComplete();
        expectError(c.setData(p, bytes("x"), 0), ErrorCode.BAD_VERSION, p);
        expectError(c.delete(p, 1), ErrorCode.BAD_VERSION, p);
        StepVerifier.create(c.delete(p, 2)).verifyComplete();
        StepVerifier.create(c.exists(p)).verifyComplete();

        await(c.create(p + "-null", null));
        StepVerifier.create(c.getData(p + "-null")).assertNext(d -> assertThat(d.data()).isNull())
                .verifyComplete();
        await(c.create(p + "-empty", new byte[0]));
        StepVerifier.create(c.getData(p + "-empty")).assertNext(d -> assertThat(d.data()).isEmpty())
                .verifyComplete();
    }

    @Test
    void countsDescendantsAndSyncs() {
        CorralClient c = connect();
        String root = root("count");
        run(c.create(root, null));
        run(c.create(root + "/a", null));
        run(c.create(root + "/a/b", null));
        run(c.create(root + "/c", null));
        StepVerifier.create(c.getAllChildrenNumber(root)).expectNext(3).verifyComplete();
        StepVerifier.create(c.sync(root)).verifyComplete();
    }

    @Test
    void mapsServerErrorsWithTheirPath() {
        CorralClient c = connect();
        String root = root("errors");
        expectError(c.getData(root), ErrorCode.NO_NODE, root);
        expectError(c.getChildren(root), ErrorCode.NO_NODE, root);
        expectError(c.create(root + "/x/y", null), ErrorCode.NO_NODE, root + "/x/y");
        run(c.create(root, null));
        expectError(c.create(root, null), ErrorCode.NODE_EXISTS, root);
        run(c.create(root + "/child", null));
        expectError(c.delete(root), ErrorCode.NOT_EMPTY, root);
        run(c.create(root + "/eph", null, CreateMode.EPHEMERAL));
        expectError(c.create(root + "/eph/x", null), ErrorCode.NO_CHILDREN_FOR_EPHEMERALS, root + "/eph/x");
        expectError(c.setACL(root, List.of(), -1), ErrorCode.INVALID_ACL, root);
        StepVerifier.create(c.getData("no-slash")).expectError(IllegalArgumentException.class).verify(TIMEOUT);
        StepVerifier.create(c.create("/a/", null)).expectError(IllegalArgumentException.class).verify(TIMEOUT);
    }

    @Test
    void aclsAndDigestAuthentication() {
        String root = root("acl");
        CorralClient alice = connect(server.connectString(), options().digest("alice", "pw").build());
        CorralClient other = connect();
        run(alice.create(root, bytes("secret"), Acl.CREATOR_ALL_ACL, CreateMode.PERSISTENT));
        StepVerifier.create(alice.getACL(root))
                .assertNext(a -> {
                    assertThat(a.acl()).hasSize(1);
                    assertThat(a.acl().get(0).id().scheme()).isEqualTo("digest");
                    assertThat(a.acl().get(0).id().id()).startsWith("alice:");
                    assertThat(a.stat().aversion()).isZero();
                })
                .verifyComplete();
        StepVerifier.create(alice.whoAmI())
                .assertNext(ids -> assertThat(ids).contains(new ClientInfo("digest", "alice")))
                .verifyComplete();
        expectError(other.getData(root), ErrorCode.NO_AUTH, root);
        run(other.addAuth(AuthInfo.digest("alice", "pw")));
        StepVerifier.create(other.getData(root)).assertNext(d -> assertThat(str(d.data())).isEqualTo("secret"))
                .verifyComplete();

        List<Acl> readOnly = List.of(new Acl(Perms.READ, Id.ANYONE));
        expectError(alice.setACL(root, readOnly, 5), ErrorCode.BAD_VERSION, root);
        StepVerifier.create(alice.setACL(root, readOnly, 0)).assertNext(s -> assertThat(s.aversion()).isEqualTo(1))
                .verifyComplete();
        expectError(alice.setData(root, bytes("x")), ErrorCode.NO_AUTH, root);
        expectError(alice.setACL(root, Acl.OPEN_ACL_UNSAFE, 1), ErrorCode.NO_AUTH, root);
    }

    @Test
    void transactionsApplyAtomically() {
        CorralClient c = connect();
        String root = root("multi");
        run(c.create(root, null));
        StepVerifier.create(c.transaction()
                        .create(root + "/a", bytes("a"))
                        .create(root + "/s-", null, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL)
                        .setData(root, bytes("r"), 0)
                        .check(root + "/a", 0)
                        .delete(root + "/a", 0)
                        .commit())
                .assertNext(results -> {
                    assertThat(results).hasSize(5);
                    assertThat(results.get(0).path()).isEqualTo(root + "/a");
                    assertThat(results.get(0).stat()).isNotNull();
                    assertThat(results.get(1).path()).matches(root + "/s-\\d{10}");
                    assertThat(results.get(2).type()).isEqualTo(OpCode.SET_DATA);
                    assertThat(results.get(2).stat().version()).isEqualTo(1);
                    assertThat(results.get(3).type()).isEqualTo(OpCode.CHECK);
                    assertThat(results.get(4).type()).isEqualTo(OpCode.DELETE);
                })
                .verifyComplete();

        StepVerifier.create(c.transaction()
                        .create(root + "/b", null)
                        .check(root, 99)
                        .delete(root + "/zz", -1)
                        .commit())
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(TransactionFailedException.class);
                    TransactionFailedException t = (TransactionFailedException) e;
                    assertThat(t.code()).isEqualTo(ErrorCode.BAD_VERSION);
                    assertThat(t.path()).isEqualTo(root);
                    assertThat(t.failedIndex()).isEqualTo(1);
                    assertThat(t.results()).extracting(OpResult::err)
                            .containsExactly(0, ErrorCode.BAD_VERSION, ErrorCode.RUNTIME_INCONSISTENCY);
                })
                .verify(TIMEOUT);
        StepVerifier.create(c.exists(root + "/b")).verifyComplete();
    }

    /** A client whose connect string ends with {@code chroot}, a node created first. */
    private CorralClient connectUnder(String chroot) {
        run(connect().create(chroot, null));
        return connect(server.connectString() + chroot, options().build());
    }

    /** A standalone server's configuration: /zookeeper/config, empty, read past the chroot as ZooKeeper's getConfig. */
    @Test
    void getConfigReadsTheConfigurationNodePastTheChroot() {
        CorralClient rooted = connectUnder(root("config"));
        StepVerifier.create(rooted.getConfig()).assertNext(d -> {
            assertThat(d.data()).isEmpty();
            assertThat(d.stat().aversion()).isEqualTo(-1);
            assertThat(d.stat().mzxid()).isZero();
        }).verifyComplete();
        Watched<NodeData> watched = await(rooted.getConfigAndWatch());
        assertThat(watched.value().data()).isEmpty();
        StepVerifier.create(watched.change()).expectSubscription().expectNoEvent(Duration.ofMillis(100)).thenCancel()
                .verify(TIMEOUT);
        expectError(rooted.getData("/zookeeper/config"), ErrorCode.NO_NODE, "/zookeeper/config");
    }

    @Test
    void chrootIsAddedAndStripped() {
        CorralClient plain = connect();
        String chroot = root("chroot");
        CorralClient rooted = connectUnder(chroot);
        StepVerifier.create(rooted.create("/a", bytes("x"))).assertNext(cr -> assertThat(cr.path()).isEqualTo("/a"))
                .verifyComplete();
        StepVerifier.create(rooted.create("/e", null, CreateMode.EPHEMERAL_SEQUENTIAL))
                .assertNext(cr -> assertThat(cr.path()).startsWith("/e"))
                .verifyComplete();
        StepVerifier.create(plain.getData(chroot + "/a")).assertNext(d -> assertThat(str(d.data())).isEqualTo("x"))
                .verifyComplete();
        StepVerifier.create(rooted.getChildren("/")).assertNext(ch -> assertThat(ch.names()).hasSize(2))
                .verifyComplete();
        StepVerifier.create(rooted.getEphemerals()).assertNext(l -> assertThat(l).singleElement()
                .satisfies(p -> assertThat(p).startsWith("/e"))).verifyComplete();
        expectError(rooted.getData("/missing"), ErrorCode.NO_NODE, "/missing");
        StepVerifier.create(rooted.transaction().create("/m", null).commit())
                .assertNext(r -> assertThat(r.get(0).path()).isEqualTo("/m")).verifyComplete();

        Mono<Watched<NodeData>> watched = rooted.getDataAndWatch("/a");
        Watched<NodeData> w = await(watched);
        run(plain.setData(chroot + "/a", bytes("y")));
        StepVerifier.create(w.change())
                .expectNext(new WatchEvent(WatchEvent.Type.NODE_DATA_CHANGED, "/a"))
                .verifyComplete();
    }

    @Test
    void pipelinesAThousandRequestsInOrder() {
        CorralClient c = connect();
        String p = root("pipeline");
        run(c.create(p, null));
        int n = 1000;
        StepVerifier.create(Flux.range(1, n)
                        .flatMap(i -> c.setData(p, bytes(Integer.toString(i))).map(stat -> stat.version() - i), n)
                        .filter(diff -> diff != 0)
                        .count())
                .expectNext(0L)
                .verifyComplete();
        StepVerifier.create(c.getData(p)).assertNext(d -> {
            assertThat(str(d.data())).isEqualTo(Integer.toString(n));
            assertThat(d.stat().version()).isEqualTo(n);
        }).verifyComplete();
    }

    @Test
    void waitsForRoomPastMaxPendingRequests() {
        TcpProxy proxy = proxy(server.connectString());
        CorralClient c = connect(proxy.connectString(), options().maxPendingRequests(3).build());
        String p = root("window");
        run(c.create(p, null));
        proxy.holdReplies(true);
        int n = 10;
        StepVerifier.create(Flux.range(1, n).flatMap(i -> c.setData(p, bytes("v" + i)).map(Stat::version), n))
                .then(() -> StepVerifier.create(c.requestCounts())
                        .assertNext(counts -> {
                            assertThat(counts[0]).as("in flight").isEqualTo(3);
                            assertThat(counts[1]).as("waiting").isEqualTo(n - 3);
                        })
                        .verifyComplete())
                .then(() -> proxy.holdReplies(false))
                .expectNextCount(n)
                .verifyComplete();
        StepVerifier.create(c.getData(p)).assertNext(d -> assertThat(d.stat().version()).isEqualTo(n))
                .verifyComplete();
    }

    @Test
    void failsARequestThatOutlivesTheRequestTimeout() {
        TcpProxy proxy = proxy(server.connectString());
        CorralClient c = connect(proxy.connectString(),
                options().requestTimeout(Duration.ofMillis(300)).build());
        String p = root("timeout");
        proxy.holdReplies(true);
        expectError(c.exists(p), ErrorCode.REQUEST_TIMEOUT, p);
        proxy.holdReplies(false);
        StepVerifier.create(c.exists(p)).verifyComplete();
    }

    @Test
    void closeEndsTheSessionAndItsEphemerals() {
        CorralClient observer = connect();
        String p = root("close");
        CorralClient c = await(CorralClient.connect(server.connectString(), options().build()));
        run(c.create(p, null, CreateMode.EPHEMERAL));
        Watched<Optional<Stat>> w = await(observer.existsAndWatch(p));
        assertThat(w.value()).isPresent();
        StepVerifier.create(c.states())
                .expectNext(ConnectionState.CONNECTED)
                .then(() -> c.close().subscribe())
                .expectNext(ConnectionState.CLOSED)
                .verifyComplete();
        StepVerifier.create(w.change()).expectNext(new WatchEvent(WatchEvent.Type.NODE_DELETED, p)).verifyComplete();
        StepVerifier.create(c.getData(p)).expectError(ClientClosedException.class).verify(TIMEOUT);
        StepVerifier.create(c.close()).verifyComplete();
    }
}
