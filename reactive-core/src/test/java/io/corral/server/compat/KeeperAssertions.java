package io.corral.server.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Small assertion helpers shared by the contracts. */
final class KeeperAssertions {

    private KeeperAssertions() {
    }

    /** Asserts that {@code call} fails with a KeeperException carrying {@code code}; returns it. */
    static KeeperException assertKeeperError(Code code, ThrowingCallable call) {
        KeeperException[] caught = new KeeperException[1];
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(KeeperException.class, e -> {
                    assertThat(e.code()).as("KeeperException code (%s)", e.getMessage()).isEqualTo(code);
                    caught[0] = e;
                });
        return caught[0];
    }

    static ACL acl(int perms, String scheme, String id) {
        return new ACL(perms, new Id(scheme, id));
    }

    static List<ACL> acls(ACL... entries) {
        return new java.util.ArrayList<>(List.of(entries)); // mutable: the client calls contains(null)
    }

    /** A copy, so a Stat can be compared after the original object was reused. */
    static Stat copy(Stat s) {
        return new Stat(s.getCzxid(), s.getMzxid(), s.getCtime(), s.getMtime(), s.getVersion(), s.getCversion(),
                s.getAversion(), s.getEphemeralOwner(), s.getDataLength(), s.getNumChildren(), s.getPzxid());
    }
}
