package io.corral.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.corral.protocol.Acl;
import io.corral.protocol.CreateMode;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.Id;
import io.corral.protocol.Perms;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** multiRead (opcode 22): one result per read, per-read errors, chroot. */
public abstract class ClientMultiReadContract extends AbstractClientContract {

    @Test
    void answersEachReadWithItsValueOrItsError() {
        CorralClient c = connect();
        String p = root("mread");
        run(c.create(p, bytes("top")));
        run(c.create(p + "/a", bytes("A")));
        run(c.create(p + "/b", null));

        List<ReadResult> results = await(c.multiRead()
                .getData(p)
                .getData(p + "/missing")
                .getChildren(p)
                .getChildren(p + "/missing")
                .getData(p + "/a")
                .getData(p + "/b")
                .execute());

        assertThat(results).hasSize(6);
        assertThat(results.get(0)).isInstanceOfSatisfying(ReadResult.Data.class, d -> {
            assertThat(d.path()).isEqualTo(p);
            assertThat(str(d.value().data())).isEqualTo("top");
            assertThat(d.value().stat()).isEqualTo(await(c.exists(p)));
        });
        assertThat(results.get(1)).isEqualTo(new ReadResult.Failed(p + "/missing", ErrorCode.NO_NODE));
        assertThat(results.get(1).isError()).isTrue();
        assertThat(results.get(2)).isInstanceOfSatisfying(ReadResult.ChildNames.class,
                k -> assertThat(k.names()).containsExactlyInAnyOrder("a", "b"));
        assertThat(results.get(3)).isEqualTo(new ReadResult.Failed(p + "/missing", ErrorCode.NO_NODE));
        assertThat(results.get(4)).isInstanceOfSatisfying(ReadResult.Data.class,
                d -> assertThat(str(d.value().data())).isEqualTo("A"));
        assertThat(results.get(5)).isInstanceOfSatisfying(ReadResult.Data.class,
                d -> assertThat(d.value().data()).isNull());
        assertThat(((ReadResult.Failed) results.get(1)).exception().code()).isEqualTo(ErrorCode.NO_NODE);
    }

    @Test
    void reportsNoAuthForTheUnreadableNodeOnly() {
        CorralClient c = connect();
        String p = root("mread-acl");
        run(c.create(p, null));
        run(c.create(p + "/secret", bytes("s"), List.of(new Acl(Perms.WRITE, Id.ANYONE)), CreateMode.PERSISTENT));
        run(c.create(p + "/open", bytes("o")));

        List<ReadResult> results = await(c.multiRead()
                .getData(p + "/secret")
                .getChildren(p + "/secret")
                .getData(p + "/open")
                .execute());

        assertThat(results.get(0)).isEqualTo(new ReadResult.Failed(p + "/secret", ErrorCode.NO_AUTH));
        assertThat(results.get(1)).isEqualTo(new ReadResult.Failed(p + "/secret", ErrorCode.NO_AUTH));
        assertThat(results.get(2)).isInstanceOfSatisfying(ReadResult.Data.class,
                d -> assertThat(str(d.value().data())).isEqualTo("o"));
    }

    @Test
    void worksUnderAChrootAndWithNoReads() {
        CorralClient c = connect();
        String p = root("mread-chroot");
        run(c.create(p, null));
        run(c.create(p + "/x", bytes("x")));
        CorralClient rooted = connect(server.connectString() + p, options().build());

        List<ReadResult> results = await(rooted.multiRead().getData("/x").getChildren("/").execute());

        assertThat(results.get(0)).isInstanceOfSatisfying(ReadResult.Data.class, d -> {
            assertThat(d.path()).isEqualTo("/x");
            assertThat(str(d.value().data())).isEqualTo("x");
        });
        assertThat(results.get(1)).isEqualTo(new ReadResult.ChildNames("/", List.of("x")));
        StepVerifier.create(c.multiRead().execute()).expectNext(List.of()).verifyComplete();
    }

    @Test
    void aBadPathFailsBeforeAnythingIsSent() {
        CorralClient c = connect();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.multiRead().getData("no-slash"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
