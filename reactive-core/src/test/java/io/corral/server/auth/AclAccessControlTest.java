package io.corral.server.auth;

import static io.corral.protocol.Perms.ADMIN;
import static io.corral.protocol.Perms.ALL;
import static io.corral.protocol.Perms.CREATE;
import static io.corral.protocol.Perms.DELETE;
import static io.corral.protocol.Perms.READ;
import static io.corral.protocol.Perms.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.protocol.Acl;
import io.corral.protocol.Id;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link AccessControl}: which connection ids a node's ACL lets through. */
class AclAccessControlTest {
    private static final Id LOCAL = new Id("ip", "127.0.0.1");
    private static final Id ALICE = new Id("digest", DigestAuth.digest("alice:pw"));
    private static final Id BOB = new Id("digest", DigestAuth.digest("bob:pw"));
    private static final Set<Id> ANONYMOUS = Set.of(LOCAL);

    @Test
    void emptyOrMissingAclAllowsEverything() {
        assertThat(AccessControl.permitted(null, ALL, ANONYMOUS, false)).isTrue();
        assertThat(AccessControl.permitted(List.of(), ALL, ANONYMOUS, false)).isTrue();
    }

    @Test
    void skipAclAllowsEverything() {
        assertThat(AccessControl.permitted(List.of(new Acl(READ, ALICE)), WRITE, ANONYMOUS, true)).isTrue();
    }

    @Test
    void superBypassesEveryEntry() {
        List<Acl> aliceOnly = List.of(new Acl(READ, ALICE));
        assertThat(AccessControl.permitted(aliceOnly, ADMIN, Set.of(LOCAL, BOB, AuthProviders.SUPER), false)).isTrue();
        assertThat(AccessControl.permitted(aliceOnly, ADMIN, Set.of(LOCAL, BOB), false)).isFalse();
    }

    @Test
    void worldAnyoneGrantsOnlyItsBits() {
        List<Acl> readOnly = Acl.READ_ACL_UNSAFE;
        assertThat(AccessControl.permitted(readOnly, READ, ANONYMOUS, false)).isTrue();
        for (int perm : new int[] {WRITE, CREATE, DELETE, ADMIN}) {
            assertThat(AccessControl.permitted(readOnly, perm, ANONYMOUS, false)).as("perm %d", perm).isFalse();
        }
        assertThat(AccessControl.permitted(Acl.OPEN_ACL_UNSAFE, DELETE, Set.of(), false)).isTrue();
    }

    @Test
    void worldWithAnotherIdMatchesNobody() {
        assertThat(AccessControl.permitted(List.of(new Acl(ALL, new Id("world", "everyone"))), READ, ANONYMOUS, false))
                .isFalse();
    }

    @Test
    void digestNeedsTheExactId() {
        List<Acl> acl = List.of(new Acl(READ | WRITE, ALICE));
        assertThat(AccessControl.permitted(acl, WRITE, Set.of(LOCAL, ALICE), false)).isTrue();
        assertThat(AccessControl.permitted(acl, WRITE, Set.of(LOCAL, BOB), false)).isFalse();
        assertThat(AccessControl.permitted(acl, ADMIN, Set.of(LOCAL, ALICE), false)).isFalse();
        assertThat(AccessControl.permitted(acl, READ, Set.of(new Id("digest", "alice:x")), false)).isFalse();
        // Another scheme holding the same text is not the digest id.
        assertThat(AccessControl.permitted(acl, READ, Set.of(new Id("ip", ALICE.id())), false)).isFalse();
    }

    @Test
    void ipMatchesAddressesAndPrefixes() {
        List<Acl> acl = List.of(new Acl(READ, new Id("ip", "10.1.0.0/16")), new Acl(WRITE, new Id("ip", "::1")));
        assertThat(AccessControl.permitted(acl, READ, Set.of(new Id("ip", "10.1.200.3")), false)).isTrue();
        assertThat(AccessControl.permitted(acl, READ, Set.of(new Id("ip", "10.2.0.1")), false)).isFalse();
        assertThat(AccessControl.permitted(acl, WRITE, Set.of(new Id("ip", "0:0:0:0:0:0:0:1")), false)).isTrue();
        assertThat(AccessControl.permitted(acl, WRITE, Set.of(new Id("ip", "10.1.200.3")), false)).isFalse();
    }

    @Test
    void anyRequestedBitSuffices() {
        // getACL asks for READ or ADMIN in one check.
        assertThat(AccessControl.permitted(List.of(new Acl(ADMIN, ALICE)), READ | ADMIN, Set.of(ALICE), false))
                .isTrue();
        assertThat(AccessControl.permitted(List.of(new Acl(WRITE, ALICE)), READ | ADMIN, Set.of(ALICE), false))
                .isFalse();
    }

    @Test
    void schemesWithoutProviderMatchNobody() {
        List<Acl> acl = List.of(new Acl(ALL, new Id("auth", "")), new Acl(ALL, new Id("super", "")));
        assertThat(AccessControl.permitted(acl, READ, Set.of(LOCAL, ALICE, new Id("auth", "")), false)).isFalse();
    }

    @Test
    void saslEntriesGrantTheSameSaslIdAndTheSaslIdSuper() {
        List<Acl> acl = List.of(new Acl(READ, new Id("sasl", "alice")));
        assertThat(AccessControl.permitted(acl, READ, Set.of(LOCAL, new Id("sasl", "alice")), false)).isTrue();
        assertThat(AccessControl.permitted(acl, READ, Set.of(LOCAL, new Id("sasl", "super")), false)).isTrue();
        assertThat(AccessControl.permitted(acl, READ, Set.of(LOCAL, new Id("sasl", "bob")), false)).isFalse();
        assertThat(AccessControl.permitted(acl, READ, Set.of(LOCAL, new Id("digest", "alice")), false)).isFalse();
    }

    @Test
    void laterEntriesAreConsulted() {
        List<Acl> acl = List.of(new Acl(READ, BOB), new Acl(0, ALICE), new Acl(READ, new Id("ip", "127.0.0.0/8")));
        assertThat(AccessControl.permitted(acl, READ, Set.of(LOCAL, ALICE), false)).isTrue();
        assertThat(AccessControl.permitted(acl, READ, Set.of(new Id("ip", "192.168.0.1"), ALICE), false)).isFalse();
    }
}
