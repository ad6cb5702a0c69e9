package io.corral.server.auth;

import static io.corral.protocol.Perms.ALL;
import static io.corral.protocol.Perms.READ;
import static io.corral.protocol.Perms.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.protocol.Acl;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.Id;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.server.PrepRequestProcessor;
import org.junit.jupiter.api.Test;

class AclValidatorTest {

    static {
        // ZooKeeper's auth providers read their system properties (the super digest) once, when they load: set them
        // before this test loads them, or the compatibility contracts later in the same JVM see no super user.
        io.corral.server.compat.CompatHarness.init();
    }

    private static final Id LOCAL = new Id("ip", "127.0.0.1");
    private static final Id ALICE = new Id("digest", DigestAuth.digest("alice:pw"));
    private static final Id BOB = new Id("digest", DigestAuth.digest("bob:pw"));

    @Test
    void keepsValidEntriesAsTheyAre() {
        List<Acl> acl = List.of(new Acl(READ, Id.ANYONE), new Acl(ALL, new Id("digest", "carol:hash")),
                new Acl(WRITE, new Id("ip", "10.0.0.0/8")), new Acl(WRITE, new Id("ip", "fe80::/10")));
        assertThat(AclValidator.fixup(acl, Set.of(LOCAL))).isEqualTo(acl);
    }

    @Test
    void rejectsMissingOrEmptyLists() {
        assertInvalid(null, Set.of(LOCAL));
        assertInvalid(List.of(), Set.of(LOCAL));
    }

    @Test
    void rejectsWorldOtherThanAnyone() {
        assertInvalid(List.of(new Acl(ALL, new Id("world", "everyone"))), Set.of(LOCAL));
        assertInvalid(List.of(new Acl(ALL, new Id("world", ""))), Set.of(LOCAL));
    }

    @Test
    void rejectsSchemesWithoutProvider() {
        for (String scheme : new String[] {"super", "sasl", "x509", "foo", "World", "DIGEST", ""}) {
            assertInvalid(List.of(new Acl(ALL, new Id(scheme, "a:b"))), Set.of(LOCAL, ALICE, AuthProviders.SUPER));
        }
    }

    @Test
    void rejectsMalformedDigestAndIpIds() {
        for (String id : new String[] {"alice", "alice:", "a:b:c", ""}) {
            assertInvalid(List.of(new Acl(ALL, new Id("digest", id))), Set.of(LOCAL));
        }
        for (String id : new String[] {"localhost", "1.2.3.4/33", "::1/129", "1.2.3", "1.2.3.4/"}) {
            assertInvalid(List.of(new Acl(ALL, new Id("ip", id))), Set.of(LOCAL));
        }
    }

    @Test
    void rejectsNullParts() {
        assertInvalid(Arrays.asList(new Acl(ALL, Id.ANYONE), null), Set.of(LOCAL));
        assertInvalid(List.of(new Acl(ALL, null)), Set.of(LOCAL));
        assertInvalid(List.of(new Acl(ALL, new Id(null, "x"))), Set.of(LOCAL));
        // a known scheme's provider fails on a null id: ZooKeeper answers MARSHALLINGERROR
        for (String scheme : List.of("ip", "digest", "world")) {
            assertThatThrownBy(() -> AclValidator.fixup(List.of(new Acl(ALL, new Id(scheme, null))), Set.of(LOCAL)))
                    .isInstanceOfSatisfying(InvalidAclException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.MARSHALLING_ERROR));
        }
        assertInvalid(List.of(new Acl(ALL, new Id("nosuch", null))), Set.of(LOCAL));
    }

    @Test
    void theAuthSchemeIgnoresItsIdEvenANullOne() {
        Id digest = new Id("digest", "kazoo:hash");
        assertThat(AclValidator.fixup(List.of(new Acl(ALL, new Id("auth", null))), Set.of(LOCAL, digest)))
                .containsExactly(new Acl(ALL, digest));
    }

    @Test
    void authNeedsADigestIdOnTheConnection() {
        assertInvalid(Acl.CREATOR_ALL_ACL, Set.of(LOCAL));
        assertInvalid(Acl.CREATOR_ALL_ACL, Set.of(LOCAL, AuthProviders.SUPER));
        assertInvalid(Acl.CREATOR_ALL_ACL, Set.of());
    }

    @Test
    void authBecomesOneEntryPerDigestIdWithItsPerms() {
        Set<Id> ids = new LinkedHashSet<>(List.of(LOCAL, ALICE, AuthProviders.SUPER, BOB));
        List<Acl> requested = List.of(new Acl(READ, Id.ANYONE), new Acl(ALL, new Id("auth", "ignored")));
        assertThat(AclValidator.fixup(requested, ids))
                .containsExactly(new Acl(READ, Id.ANYONE), new Acl(ALL, ALICE), new Acl(ALL, BOB));
    }

    @Test
    void dropsDuplicateRequestEntriesKeepingTheFirst() {
        List<Acl> requested = List.of(new Acl(READ, new Id("ip", "1.2.3.4")), new Acl(ALL, Id.ANYONE),
                new Acl(READ, new Id("ip", "1.2.3.4")), new Acl(ALL, Id.ANYONE), new Acl(WRITE, Id.ANYONE));
        assertThat(AclValidator.fixup(requested, Set.of(LOCAL))).containsExactly(
                new Acl(READ, new Id("ip", "1.2.3.4")), new Acl(ALL, Id.ANYONE), new Acl(WRITE, Id.ANYONE));
    }

    @Test
    void doesNotDeduplicateTheAuthExpansionLikeTheReference() {
        List<Acl> requested = List.of(new Acl(ALL, ALICE), new Acl(ALL, Id.AUTH));
        assertThat(AclValidator.fixup(requested, Set.of(LOCAL, ALICE)))
                .containsExactly(new Acl(ALL, ALICE), new Acl(ALL, ALICE));
    }

    @Test
    void doesNotCheckPerms() {
        List<Acl> requested = List.of(new Acl(0, Id.ANYONE), new Acl(99, new Id("ip", "::1")));
        assertThat(AclValidator.fixup(requested, Set.of(LOCAL))).isEqualTo(requested);
    }

    @Test
    void agreesWithZooKeeperOnRandomRequests() {
        Id[] pool = {Id.ANYONE, new Id("world", "nobody"), Id.AUTH, new Id("auth", "x"), ALICE, BOB,
            new Id("digest", "carol"), new Id("digest", "a:b:"), new Id("digest", "a:b:c"), new Id("ip", "1.2.3.4"),
            new Id("ip", "10.0.0.0/8"), new Id("ip", "::1/129"), new Id("ip", "host"), new Id("super", ""),
            new Id("sasl", "alice"), new Id("x509", "CN=a")};
        Id[] likelyValid = {Id.ANYONE, Id.AUTH, ALICE, BOB};
        Id[] connectionPool = {LOCAL, ALICE, BOB, AuthProviders.SUPER, new Id("ip", "::1")};
        Random random = new Random(13);
        int accepted = 0;
        for (int n = 0; n < 20_000; n++) {
            List<Acl> requested = new ArrayList<>();
            for (int i = random.nextInt(5); i > 0; i--) {
                // Mostly likely-valid entries, so that lists often pass and their expansion gets compared.
                Id id = random.nextInt(3) == 0 ? pool[random.nextInt(pool.length)]
                        : likelyValid[random.nextInt(likelyValid.length)];
                requested.add(new Acl(random.nextBoolean() ? ALL : 1 + random.nextInt(2), id));
            }
            List<Id> ids = new ArrayList<>();
            for (Id id : connectionPool) {
                if (random.nextBoolean()) {
                    ids.add(id);
                }
            }
            List<Acl> expected = zooKeeperFixup(requested, ids);
            if (expected == null) {
                assertThatThrownBy(() -> AclValidator.fixup(requested, new LinkedHashSet<>(ids)))
                        .as("%s with %s", requested, ids).isInstanceOf(InvalidAclException.class);
            } else {
                assertThat(AclValidator.fixup(requested, new LinkedHashSet<>(ids))).as("%s with %s", requested, ids)
                        .isEqualTo(expected);
                accepted++;
            }
        }
        assertThat(accepted).isGreaterThan(4_000);
    }

    @Test
    void redactsDigestHashesForReaders() {
        List<Acl> acl = List.of(new Acl(READ, Id.ANYONE), new Acl(ALL, ALICE), new Acl(ALL, new Id("ip", "::1")),
                new Acl(ALL, new Id("digest", ":b")), new Acl(ALL, new Id("digest", "a:b:")));
        assertThat(AclValidator.redactForReader(acl)).containsExactly(new Acl(READ, Id.ANYONE),
                new Acl(ALL, new Id("digest", "alice:x")), new Acl(ALL, new Id("ip", "::1")),
                new Acl(ALL, new Id("digest", ":x")), new Acl(ALL, new Id("digest", "a:x")));
    }

    @Test
    void redactionStopsAtALineBreakAsTheReferenceDoes() {
        // Observed on a 3.9.5 server: digest id "u:h\nx" is shown to readers as "u:x\nx".
        assertThat(AclValidator.redactForReader(List.of(new Acl(ALL, new Id("digest", "u:h\nx")))))
                .containsExactly(new Acl(ALL, new Id("digest", "u:x\nx")));
    }

    private static void assertInvalid(List<Acl> requested, Set<Id> ids) {
        assertThatThrownBy(() -> AclValidator.fixup(requested, ids)).as(String.valueOf(requested))
                .isInstanceOfSatisfying(InvalidAclException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ACL));
    }

    /** ZooKeeper's own fixup, or null when it refuses the list. */
    private static List<Acl> zooKeeperFixup(List<Acl> requested, List<Id> ids) {
        List<ACL> zkAcl = new ArrayList<>();
        for (Acl a : requested) {
            zkAcl.add(new ACL(a.perms(), new org.apache.zookeeper.data.Id(a.id().scheme(), a.id().id())));
        }
        List<org.apache.zookeeper.data.Id> zkIds = new ArrayList<>();
        for (Id id : ids) {
            zkIds.add(new org.apache.zookeeper.data.Id(id.scheme(), id.id()));
        }
        try {
            List<Acl> out = new ArrayList<>();
            for (ACL a : PrepRequestProcessor.fixupACL("/x", zkIds, zkAcl)) {
                out.add(new Acl(a.getPerms(), new Id(a.getId().getScheme(), a.getId().getId())));
            }
            return out;
        } catch (KeeperException.InvalidACLException e) {
            return null;
        }
    }
}
