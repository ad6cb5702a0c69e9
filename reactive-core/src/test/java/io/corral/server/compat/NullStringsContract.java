package io.corral.server.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.protocol.Acl;
import io.corral.protocol.AuthPacket;
import io.corral.protocol.CreateRequest;
import io.corral.protocol.DeleteRequest;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.Id;
import io.corral.protocol.OpCode;
import io.corral.protocol.PathRequest;
import io.corral.protocol.PathTypeRequest;
import io.corral.protocol.PathWatchRequest;
import io.corral.protocol.Record;
import io.corral.protocol.SetAclRequest;
import io.corral.protocol.SetDataRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Strings sent as null (length -1), which ZooKeeper's decoder reads as null: each request gets ZooKeeper 3.9.5's
 * answer. Clients do send them: kazoo encodes the empty id of the {@code auth} ACL scheme as a null string.
 */
public abstract class NullStringsContract extends AbstractCompatContract {
    private static final int ALL = 31;

    private static Acl acl(String scheme, String id) {
        return new Acl(ALL, new Id(scheme, id));
    }

    @Test
    void theAuthSchemeWithANullIdIsAcceptedAsZooKeeperAccepts() throws IOException {
        try (RawConnection c = new RawConnection(LargeRepliesContract.address(server))) {
            c.handshake();
            c.sendRequest(-4, OpCode.AUTH, new AuthPacket(0, "digest", "kazoo:secret".getBytes(StandardCharsets.UTF_8)));
            assertThat(c.readReply().header().err()).isEqualTo(ErrorCode.OK);
            c.sendRequest(1, OpCode.CREATE, new CreateRequest("/kazoo-auth", null, List.of(acl("auth", null)), 0, -1));
            assertThat(c.readReply().header().err()).isEqualTo(ErrorCode.OK);
            c.sendRequest(2, OpCode.SET_ACL, new SetAclRequest("/kazoo-auth", List.of(acl("auth", null)), -1));
            assertThat(c.readReply().header().err()).isEqualTo(ErrorCode.OK);
            c.sendRequest(3, OpCode.GET_DATA, new PathWatchRequest("/kazoo-auth", false));
            assertThat(c.readReply().header().err()).isEqualTo(ErrorCode.OK);
        }
    }

    @Test
    void nullStringsInRequestsGetZooKeepersAnswers() throws IOException {
        Map<String, Integer> actual = new LinkedHashMap<>();
        Map<String, Integer> expected = new LinkedHashMap<>();
        try (RawConnection c = new RawConnection(LargeRepliesContract.address(server))) {
            c.handshake();
            c.sendRequest(1, OpCode.CREATE, new CreateRequest("/null-strings", null, Acl.OPEN_ACL_UNSAFE, 0, -1));
            assertThat(c.readReply().header().err()).isEqualTo(ErrorCode.OK);
            int[] xid = {10};
            record Case(String name, int op, Record body, int err) {
            }
            List<Case> cases = List.of(
                    new Case("create null path", OpCode.CREATE, new CreateRequest(null, null, Acl.OPEN_ACL_UNSAFE, 0,
                            -1), ErrorCode.MARSHALLING_ERROR),
                    new Case("create2 null path", OpCode.CREATE2, new CreateRequest(null, null, Acl.OPEN_ACL_UNSAFE, 0,
                            -1), ErrorCode.MARSHALLING_ERROR),
                    new Case("create world null id", OpCode.CREATE, new CreateRequest("/null-strings/w", null,
                            List.of(acl("world", null)), 0, -1), ErrorCode.MARSHALLING_ERROR),
                    new Case("create digest null id", OpCode.CREATE, new CreateRequest("/null-strings/d", null,
                            List.of(acl("digest", null)), 0, -1), ErrorCode.MARSHALLING_ERROR),
                    new Case("create ip null id", OpCode.CREATE, new CreateRequest("/null-strings/i", null,
                            List.of(acl("ip", null)), 0, -1), ErrorCode.MARSHALLING_ERROR),
                    new Case("create unknown scheme null id", OpCode.CREATE, new CreateRequest("/null-strings/u",
                            null, List.of(acl("nosuch", null)), 0, -1), ErrorCode.INVALID_ACL),
                    new Case("create null scheme", OpCode.CREATE, new CreateRequest("/null-strings/s", null,
                            List.of(acl(null, "anyone")), 0, -1), ErrorCode.INVALID_ACL),
                    new Case("delete null path", OpCode.DELETE, new DeleteRequest(null, -1),
                            ErrorCode.MARSHALLING_ERROR),
                    new Case("setData null path", OpCode.SET_DATA, new SetDataRequest(null, new byte[0], -1),
                            ErrorCode.BAD_ARGUMENTS),
                    new Case("setACL null path", OpCode.SET_ACL, new SetAclRequest(null, Acl.OPEN_ACL_UNSAFE, -1),
                            ErrorCode.BAD_ARGUMENTS),
                    new Case("exists null path", OpCode.EXISTS, new PathWatchRequest(null, false),
                            ErrorCode.MARSHALLING_ERROR),
                    new Case("getData null path", OpCode.GET_DATA, new PathWatchRequest(null, false),
                            ErrorCode.MARSHALLING_ERROR),
                    new Case("getChildren null path", OpCode.GET_CHILDREN, new PathWatchRequest(null, false),
                            ErrorCode.MARSHALLING_ERROR),
                    new Case("getChildren2 null path", OpCode.GET_CHILDREN2, new PathWatchRequest(null, false),
                            ErrorCode.MARSHALLING_ERROR),
                    new Case("getACL null path", OpCode.GET_ACL, new PathRequest(null), ErrorCode.MARSHALLING_ERROR),
                    new Case("getAllChildrenNumber null path", OpCode.GET_ALL_CHILDREN_NUMBER, new PathRequest(null),
                            ErrorCode.MARSHALLING_ERROR),
                    new Case("addWatch null path", OpCode.ADD_WATCH, new PathTypeRequest(null, 1), ErrorCode.OK));
            for (Case k : cases) {
                int x = xid[0]++;
                c.sendRequest(x, k.op(), k.body());
                RawConnection.Reply reply = c.readReply();
                assertThat(reply.header().xid()).as(k.name()).isEqualTo(x);
                actual.put(k.name(), reply.header().err());
                expected.put(k.name(), k.err());
            }
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void authWithANullSchemeFailsAndCloses() throws IOException {
        try (RawConnection c = new RawConnection(LargeRepliesContract.address(server))) {
            c.handshake();
            c.sendRequest(-4, OpCode.AUTH, new AuthPacket(0, null, new byte[0]));
            assertThat(c.readReply().header().err()).isEqualTo(ErrorCode.AUTH_FAILED);
            c.assertClosedWithoutReply();
        }
    }
}
