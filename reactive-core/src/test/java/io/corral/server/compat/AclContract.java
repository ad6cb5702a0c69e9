package io.corral.server.compat;

import static io.corral.server.compat.KeeperAssertions.acl;
import static io.corral.server.compat.KeeperAssertions.acls;
import static io.corral.server.compat.KeeperAssertions.assertKeeperError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/** Authentication, ACL checks per permission, ACL validation, super user (ZK_WIRE.md §7.9). */
public abstract class AclContract extends AbstractCompatContract {

    private static final byte[] DATA = "data".getBytes(StandardCharsets.UTF_8);
    private static final String ALICE = "alice:pw";
    private static final String ALICE_ID = CompatHarness.digestId(ALICE);

    private ZooKeeper alice() {
        ZooKeeper zk = connect();
        zk.addAuthInfo("digest", ALICE.getBytes(StandardCharsets.UTF_8));
        return zk;
    }

    private static List<ACL> worldWithout(int perm) {
        return acls(acl(Perms.ALL & ~perm, "world", "anyone"));
    }

    @Test
    void digestIdIsUserColonBase64Sha1() {
        assertThat(ALICE_ID).isEqualTo("alice:V55/p2T0OpjQ+low3NVAH4aLvm0=");
    }

    @Test
    void creatorAllAclIsExpandedToTheDigestIdAndLocksOutOthers() throws Exception {
        ZooKeeper owner = alice();
        owner.create("/acl-creator", DATA, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
        assertThat(owner.getACL("/acl-creator", new Stat()))
                .containsExactly(acl(Perms.ALL, "digest", ALICE_ID));
        assertThat(owner.getData("/acl-creator", false, null)).isEqualTo(DATA);
        owner.create("/acl-creator/kid", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        ZooKeeper stranger = connect();
        ZooKeeper bob = connect();
        bob.addAuthInfo("digest", "bob:pw".getBytes(StandardCharsets.UTF_8));
        for (ZooKeeper other : List.of(stranger, bob)) {
            assertKeeperError(Code.NOAUTH, () -> other.getData("/acl-creator", false, null));
            assertKeeperError(Code.NOAUTH, () -> other.exists("/acl-creator", false));
            assertKeeperError(Code.NOAUTH, () -> other.getChildren("/acl-creator", false));
            assertKeeperError(Code.NOAUTH, () -> other.getChildren("/acl-creator", false, new Stat()));
            assertKeeperError(Code.NOAUTH, () -> other.getAllChildrenNumber("/acl-creator"));
            assertKeeperError(Code.NOAUTH, () -> other.setData("/acl-creator", DATA, -1));
            assertKeeperError(Code.NOAUTH, () -> other.setACL("/acl-creator", Ids.OPEN_ACL_UNSAFE, -1));
            assertKeeperError(Code.NOAUTH, () -> other.getACL("/acl-creator", new Stat()));
            assertKeeperError(Code.NOAUTH,
                    () -> other.create("/acl-creator/x", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
            assertKeeperError(Code.NOAUTH, () -> other.delete("/acl-creator/kid", -1));
        }
        // reading a child with an open ACL only needs the child's ACL
        assertThat(stranger.exists("/acl-creator/kid", false)).isNotNull();
    }

    @Test
    void authSchemeIsExpandedToEveryDigestIdOfTheConnection() throws Exception {
        ZooKeeper zk = alice();
        zk.addAuthInfo("digest", "bob:pw".getBytes(StandardCharsets.UTF_8));
        zk.create("/acl-authexp", null, acls(acl(Perms.ALL, "auth", "")), CreateMode.PERSISTENT);
        assertThat(zk.getACL("/acl-authexp", new Stat())).containsExactlyInAnyOrder(
                acl(Perms.ALL, "digest", ALICE_ID),
                acl(Perms.ALL, "digest", CompatHarness.digestId("bob:pw")));
    }

    @Test
    void withoutAdminEvenTheOwnerSeesRedactedDigests() throws Exception {
        ZooKeeper zk = alice();
        zk.create("/acl-authexp-rw", null, acls(acl(Perms.READ | Perms.WRITE, "auth", "")), CreateMode.PERSISTENT);
        assertThat(zk.getACL("/acl-authexp-rw", new Stat()))
                .containsExactly(acl(Perms.READ | Perms.WRITE, "digest", "alice:x"));
        zk.setData("/acl-authexp-rw", DATA, -1); // the stored id is the real one
    }

    @Test
    void withoutReadGetDataGetChildrenAndExistsFail() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/acl-noread", DATA, worldWithout(Perms.READ), CreateMode.PERSISTENT);
        assertKeeperError(Code.NOAUTH, () -> zk.getData("/acl-noread", false, null));
        assertKeeperError(Code.NOAUTH, () -> zk.getChildren("/acl-noread", false));
        assertKeeperError(Code.NOAUTH, () -> zk.exists("/acl-noread", false));
        assertKeeperError(Code.NOAUTH, () -> zk.getAllChildrenNumber("/acl-noread"));
        // everything else is allowed
        zk.setData("/acl-noread", DATA, -1);
        zk.create("/acl-noread/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.delete("/acl-noread/c", -1);
        assertThat(zk.getACL("/acl-noread", new Stat())).isEqualTo(worldWithout(Perms.READ)); // ADMIN suffices
        zk.setACL("/acl-noread", Ids.OPEN_ACL_UNSAFE, -1);
        assertThat(zk.getData("/acl-noread", false, null)).isEqualTo(DATA);
    }

    @Test
    void withoutWriteSetDataFails() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/acl-nowrite", DATA, worldWithout(Perms.WRITE), CreateMode.PERSISTENT);
        assertKeeperError(Code.NOAUTH, () -> zk.setData("/acl-nowrite", DATA, -1));
        assertThat(zk.getData("/acl-nowrite", false, null)).isEqualTo(DATA);
        zk.create("/acl-nowrite/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    @Test
    void withoutCreateCreatingAChildFails() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/acl-nocreate", DATA, worldWithout(Perms.CREATE), CreateMode.PERSISTENT);
        assertKeeperError(Code.NOAUTH,
                () -> zk.create("/acl-nocreate/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        assertKeeperError(Code.NOAUTH,
                () -> zk.create("/acl-nocreate/s", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL));
        zk.setData("/acl-nocreate", DATA, -1);
    }

    @Test
    void withoutDeleteDeletingAChildFailsButTheNodeItselfMayBeDeleted() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/acl-nodelete", DATA, worldWithout(Perms.DELETE), CreateMode.PERSISTENT);
        zk.create("/acl-nodelete/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertKeeperError(Code.NOAUTH, () -> zk.delete("/acl-nodelete/c", -1));
        zk.setACL("/acl-nodelete", Ids.OPEN_ACL_UNSAFE, -1);
        zk.delete("/acl-nodelete/c", -1);
        zk.setACL("/acl-nodelete", worldWithout(Perms.DELETE), -1);
        zk.delete("/acl-nodelete", -1); // needs DELETE on "/", not on the node
    }

    @Test
    void withoutAdminSetAclFailsButGetAclWorksWithRead() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/acl-noadmin", DATA, worldWithout(Perms.ADMIN), CreateMode.PERSISTENT);
        assertKeeperError(Code.NOAUTH, () -> zk.setACL("/acl-noadmin", Ids.OPEN_ACL_UNSAFE, -1));
        assertThat(zk.getACL("/acl-noadmin", new Stat())).isEqualTo(worldWithout(Perms.ADMIN));
    }

    @Test
    void getAclNeedsReadOrAdmin() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/acl-getacl", DATA, acls(acl(Perms.WRITE | Perms.CREATE | Perms.DELETE, "world", "anyone")),
                CreateMode.PERSISTENT);
        assertKeeperError(Code.NOAUTH, () -> zk.getACL("/acl-getacl", new Stat()));
    }

    @Test
    void getAclWithoutAdminRedactsDigestHashes() throws Exception {
        ZooKeeper owner = alice();
        owner.create("/acl-redact", DATA,
                acls(acl(Perms.ALL, "digest", ALICE_ID), acl(Perms.READ, "world", "anyone")),
                CreateMode.PERSISTENT);
        ZooKeeper reader = connect();
        Stat stat = new Stat();
        assertThat(reader.getACL("/acl-redact", stat)).containsExactly(
                acl(Perms.ALL, "digest", "alice:x"), acl(Perms.READ, "world", "anyone"));
        assertThat(stat.getCzxid()).isPositive();
        assertThat(owner.getACL("/acl-redact", new Stat())).containsExactly(
                acl(Perms.ALL, "digest", ALICE_ID), acl(Perms.READ, "world", "anyone"));
    }

    @Test
    void getAclWithAdminShowsDigestHashes() throws Exception {
        ZooKeeper owner = alice();
        List<ACL> list = acls(acl(Perms.ALL, "digest", ALICE_ID), acl(Perms.ADMIN, "world", "anyone"));
        owner.create("/acl-admin-sees", DATA, list, CreateMode.PERSISTENT);
        ZooKeeper admin = connect();
        assertThat(admin.getACL("/acl-admin-sees", new Stat())).isEqualTo(list);
    }

    @Test
    void invalidAclsAreRejectedOnCreate() throws Exception {
        ZooKeeper zk = connect();
        List<List<ACL>> invalid = List.of(
                Ids.CREATOR_ALL_ACL, // auth scheme without an authenticated id
                acls(acl(Perms.ALL, "world", "someone")),
                acls(acl(Perms.ALL, "digest", "no-colon")),
                acls(acl(Perms.ALL, "digest", "a:b:c")),
                acls(acl(Perms.ALL, "ip", "not-an-address")),
                acls(acl(Perms.ALL, "nosuchscheme", "x")),
                acls(acl(Perms.ALL, "super", "")),
                acls(acl(Perms.READ, "world", "anyone"), acl(Perms.ALL, "world", "nobody")));
        for (List<ACL> acl : invalid) {
            assertKeeperError(Code.INVALIDACL,
                    () -> zk.create("/acl-invalid", null, acl, CreateMode.PERSISTENT));
        }
        assertKeeperError(Code.INVALIDACL, () -> zk.create("/acl-invalid", null, List.of(), CreateMode.PERSISTENT));
        assertThat(zk.exists("/acl-invalid", false)).isNull();
    }

    @Test
    void invalidAclsAreRejectedOnSetAcl() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/acl-invalid-set", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertKeeperError(Code.INVALIDACL, () -> zk.setACL("/acl-invalid-set", Ids.CREATOR_ALL_ACL, -1));
        assertKeeperError(Code.INVALIDACL,
                () -> zk.setACL("/acl-invalid-set", acls(acl(Perms.ALL, "world", "someone")), -1));
        assertThat(zk.exists("/acl-invalid-set", false).getAversion()).isZero();
        // invalid ACL is reported before the missing node
        assertKeeperError(Code.INVALIDACL,
                () -> zk.setACL("/acl-invalid-missing", acls(acl(Perms.ALL, "world", "someone")), -1));
    }

    @Test
    void ipAuthIsNotEnoughForTheAuthScheme() throws Exception {
        ZooKeeper zk = connect();
        assertKeeperError(Code.INVALIDACL,
                () -> zk.create("/acl-ip-auth", null, acls(acl(Perms.ALL, "auth", "")), CreateMode.PERSISTENT));
    }

    @Test
    void superUserBypassesEveryCheck() throws Exception {
        ZooKeeper owner = alice();
        owner.create("/acl-super", DATA, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
        owner.create("/acl-super/kid", null, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
        owner.create("/acl-super-nothing", DATA, acls(acl(0, "world", "anyone")), CreateMode.PERSISTENT);

        ZooKeeper root = connect();
        root.addAuthInfo("digest", CompatHarness.SUPER_USER_PASSWORD.getBytes(StandardCharsets.UTF_8));
        assertThat(root.getData("/acl-super", false, null)).isEqualTo(DATA);
        assertThat(root.getChildren("/acl-super", false)).containsExactly("kid");
        assertThat(root.getACL("/acl-super", new Stat())).containsExactly(acl(Perms.ALL, "digest", ALICE_ID));
        root.setData("/acl-super", DATA, -1);
        root.create("/acl-super/extra", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        root.delete("/acl-super/kid", -1);
        root.setACL("/acl-super", Ids.OPEN_ACL_UNSAFE, -1);
        assertThat(root.getData("/acl-super-nothing", false, null)).isEqualTo(DATA);
        root.setData("/acl-super-nothing", DATA, -1);
        assertThat(connect().getData("/acl-super", false, null)).isEqualTo(DATA);
    }

    @Test
    void wrongSuperPasswordIsJustAnotherDigestUser() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/acl-notsuper", DATA, acls(acl(0, "world", "anyone")), CreateMode.PERSISTENT);
        zk.addAuthInfo("digest", "super:wrong".getBytes(StandardCharsets.UTF_8));
        assertKeeperError(Code.NOAUTH, () -> zk.getData("/acl-notsuper", false, null));
    }

    @Test
    void emptyPermissionsDenyEverythingButDeletionViaTheParent() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/acl-zero", DATA, acls(acl(0, "world", "anyone")), CreateMode.PERSISTENT);
        assertKeeperError(Code.NOAUTH, () -> zk.getData("/acl-zero", false, null));
        assertKeeperError(Code.NOAUTH, () -> zk.getACL("/acl-zero", new Stat()));
        assertKeeperError(Code.NOAUTH, () -> zk.setACL("/acl-zero", Ids.OPEN_ACL_UNSAFE, -1));
        zk.delete("/acl-zero", -1);
    }

    @Test
    void ipSchemeMatchesTheClientAddress() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/acl-ip-exact", DATA, acls(acl(Perms.ALL, "ip", "127.0.0.1")), CreateMode.PERSISTENT);
        zk.create("/acl-ip-net", DATA, acls(acl(Perms.ALL, "ip", "127.0.0.0/8")), CreateMode.PERSISTENT);
        zk.create("/acl-ip-other", DATA, acls(acl(Perms.ALL, "ip", "10.1.2.3")), CreateMode.PERSISTENT);
        zk.create("/acl-ip-othernet", DATA, acls(acl(Perms.ALL, "ip", "10.0.0.0/8")), CreateMode.PERSISTENT);
        assertThat(zk.getData("/acl-ip-exact", false, null)).isEqualTo(DATA);
        assertThat(zk.getData("/acl-ip-net", false, null)).isEqualTo(DATA);
        assertKeeperError(Code.NOAUTH, () -> zk.getData("/acl-ip-other", false, null));
        assertKeeperError(Code.NOAUTH, () -> zk.getData("/acl-ip-othernet", false, null));
        assertThat(zk.getACL("/acl-ip-exact", new Stat())).containsExactly(acl(Perms.ALL, "ip", "127.0.0.1"));
    }

    @Test
    void digestAuthNeverFailsEvenWithoutAColon() throws Exception {
        RecordingWatcher states = new RecordingWatcher();
        ZooKeeper zk = connect(states);
        zk.addAuthInfo("digest", "nocolon".getBytes(StandardCharsets.UTF_8));
        assertThat(zk.exists("/", false)).isNotNull();
        assertThat(zk.getState()).isEqualTo(ZooKeeper.States.CONNECTED);
    }

    @Test
    void unknownAuthSchemeFailsTheConnection() {
        RecordingWatcher states = new RecordingWatcher();
        ZooKeeper zk = connect(states);
        zk.addAuthInfo("nosuchscheme", "whatever".getBytes(StandardCharsets.UTF_8));
        states.awaitState(KeeperState.AuthFailed, Duration.ofSeconds(10));
        assertKeeperError(Code.AUTHFAILED, () -> zk.exists("/", false));
    }

    @Test
    void onlyTheImmediateParentsAclMattersForCreate() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/acl-parent", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/acl-parent/open", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.setACL("/acl-parent", acls(acl(Perms.ADMIN, "world", "anyone")), -1);
        zk.create("/acl-parent/open/c", DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(zk.getData("/acl-parent/open/c", false, null)).isEqualTo(DATA);
    }
}
