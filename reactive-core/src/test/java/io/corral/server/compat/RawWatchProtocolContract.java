package io.corral.server.compat;

import static io.corral.server.compat.RawConnection.input;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.protocol.Acl;
import io.corral.protocol.AddWatchMode;
import io.corral.protocol.CreateRequest;
import io.corral.protocol.CreateResponse;
import io.corral.protocol.DeleteRequest;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.EventType;
import io.corral.protocol.KeeperState;
import io.corral.protocol.OpCode;
import io.corral.protocol.PathRequest;
import io.corral.protocol.PathTypeRequest;
import io.corral.protocol.PathWatchRequest;
import io.corral.protocol.Record;
import io.corral.protocol.ReplyHeader;
import io.corral.protocol.SetDataRequest;
import io.corral.protocol.SetWatchesRequest;
import io.corral.protocol.StatResponse;
import io.corral.protocol.WatcherEvent;
import io.corral.protocol.WatcherType;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The watch-management requests on a raw socket, where the Java client would hide what the server sends:
 * checkWatches (17), removeWatches (18), addWatch (106), setWatches (101), setWatches2 (105) and sync (9), each
 * asserting what Apache ZooKeeper 3.9.5 does (ZK_WIRE sections 6.5, 7.7, 7.8).
 */
public abstract class RawWatchProtocolContract extends AbstractCompatContract {

    /** One server frame after the handshake: a reply, or a notification (xid -1). */
    record Frame(ReplyHeader header, ByteBuf body) {
        boolean isNotification() {
            return header.xid() == -1;
        }

        WatcherEvent event() {
            return WatcherEvent.read(input(body));
        }
    }

    /** What a request produced: the notifications that came before its reply, and the reply. */
    record Exchange(List<Frame> notifications, Frame reply) {
        List<WatcherEvent> events() {
            return notifications.stream().map(Frame::event).toList();
        }

        int err() {
            return reply.header().err();
        }

        long zxid() {
            return reply.header().zxid();
        }
    }

    /** A raw connection with its own xids. */
    private final class Client implements AutoCloseable {
        final RawConnection raw;
        private int nextXid = 1;

        Client() throws IOException {
            String connect = server.connectString();
            int colon = connect.lastIndexOf(':');
            raw = new RawConnection(new InetSocketAddress(connect.substring(0, colon),
                    Integer.parseInt(connect.substring(colon + 1))));
            raw.handshake();
        }

        Exchange call(int type, Record body) throws IOException {
            return call(nextXid++, type, body);
        }

        /** Sends one request and reads every frame up to and including its reply. */
        Exchange call(int xid, int type, Record body) throws IOException {
            raw.sendRequest(xid, type, body);
            List<Frame> notifications = new ArrayList<>();
            while (true) {
                Frame frame = readFrame();
                if (frame.isNotification()) {
                    assertThat(frame.header().err()).isZero();
                    notifications.add(frame);
                    continue;
                }
                assertThat(frame.header().xid()).as("reply xid").isEqualTo(xid);
                return new Exchange(notifications, frame);
            }
        }

        Frame readFrame() throws IOException {
            ByteBuf buf = raw.readFrame();
            return new Frame(ReplyHeader.read(input(buf)), buf);
        }

        /** Creates a persistent node with OPEN_ACL_UNSAFE; returns its zxid. */
        long create(String path) throws IOException {
            Exchange e = call(OpCode.CREATE, new CreateRequest(path, null, Acl.OPEN_ACL_UNSAFE, 0, -1));
            assertThat(e.err()).as("create %s", path).isZero();
            assertThat(e.notifications()).isEmpty();
            return e.zxid();
        }

        /** setData on path; returns the new mzxid. */
        long setData(String path) throws IOException {
            Exchange e = call(OpCode.SET_DATA, new SetDataRequest(path, new byte[] {1}, -1));
            assertThat(e.err()).as("setData %s", path).isZero();
            assertThat(StatResponse.read(input(e.reply().body())).stat().mzxid()).isEqualTo(e.zxid());
            return e.zxid();
        }

        Exchange getData(String path, boolean watch) throws IOException {
            return call(OpCode.GET_DATA, new PathWatchRequest(path, watch));
        }

        int checkWatches(String path, int watcherType) throws IOException {
            Exchange e = call(OpCode.CHECK_WATCHES, new PathTypeRequest(path, watcherType));
            assertThat(e.reply().body().readableBytes()).as("checkWatches reply body").isZero();
            return e.err();
        }

        int removeWatches(String path, int watcherType) throws IOException {
            Exchange e = call(OpCode.REMOVE_WATCHES, new PathTypeRequest(path, watcherType));
            assertThat(e.reply().body().readableBytes()).as("removeWatches reply body").isZero();
            return e.err();
        }

        @Override
        public void close() throws IOException {
            raw.close();
        }
    }

    private static WatcherEvent event(int type, String path) {
        return new WatcherEvent(type, KeeperState.SYNC_CONNECTED, path);
    }

    private static SetWatchesRequest setWatches(long relativeZxid, List<String> data, List<String> exist,
            List<String> child) {
        return new SetWatchesRequest(relativeZxid, data, exist, child, List.of(), List.of(), false);
    }

    // ------------------------------------------------------------------------------------------------------------
    // checkWatches (17)

    @Test
    void checkWatchesWithoutAWatchIsNoWatcher() throws IOException {
        try (Client c = new Client()) {
            c.create("/cw-none");
            for (int type = WatcherType.CHILDREN; type <= WatcherType.PERSISTENT_RECURSIVE; type++) {
                assertThat(c.checkWatches("/cw-none", type)).as("type %d", type).isEqualTo(ErrorCode.NO_WATCHER);
                assertThat(c.checkWatches("/cw-missing", type)).as("type %d", type).isEqualTo(ErrorCode.NO_WATCHER);
            }
        }
    }

    @Test
    void checkWatchesFindsTheDataWatchOfGetDataAndLeavesItInPlace() throws IOException {
        try (Client c = new Client()) {
            long created = c.create("/cw-data");
            Exchange get = c.getData("/cw-data", true);
            assertThat(get.err()).isZero();
            Exchange check = c.call(OpCode.CHECK_WATCHES, new PathTypeRequest("/cw-data", WatcherType.DATA));
            assertThat(check.reply().header().err()).isEqualTo(ErrorCode.OK);
            assertThat(check.zxid()).as("reply zxid is the last applied zxid").isEqualTo(created);
            assertThat(c.checkWatches("/cw-data", WatcherType.ANY)).isEqualTo(ErrorCode.OK);
            assertThat(c.checkWatches("/cw-data", WatcherType.CHILDREN)).isEqualTo(ErrorCode.NO_WATCHER);
            assertThat(c.checkWatches("/cw-data", WatcherType.PERSISTENT)).isEqualTo(ErrorCode.NO_WATCHER);
            assertThat(c.checkWatches("/cw-data", WatcherType.PERSISTENT_RECURSIVE)).isEqualTo(ErrorCode.NO_WATCHER);
            assertThat(c.checkWatches("/cw-data", WatcherType.DATA)).as("checking does not consume")
                    .isEqualTo(ErrorCode.OK);
            // the watch still fires, then is gone
            long changed = c.setData("/cw-data");
            assertThat(c.checkWatches("/cw-data", WatcherType.DATA)).isEqualTo(ErrorCode.NO_WATCHER);
            assertThat(changed).isGreaterThan(created);
        }
    }

    @Test
    void checkWatchesFindsTheChildWatchOfGetChildren() throws IOException {
        try (Client c = new Client()) {
            c.create("/cw-kids");
            assertThat(c.call(OpCode.GET_CHILDREN, new PathWatchRequest("/cw-kids", true)).err()).isZero();
            assertThat(c.checkWatches("/cw-kids", WatcherType.CHILDREN)).isEqualTo(ErrorCode.OK);
            assertThat(c.checkWatches("/cw-kids", WatcherType.ANY)).isEqualTo(ErrorCode.OK);
            assertThat(c.checkWatches("/cw-kids", WatcherType.DATA)).isEqualTo(ErrorCode.NO_WATCHER);
        }
    }

    @Test
    void checkWatchesFindsTheExistWatchOnAMissingNodeAsADataWatch() throws IOException {
        try (Client c = new Client()) {
            Exchange exists = c.call(OpCode.EXISTS, new PathWatchRequest("/cw-exist", true));
            assertThat(exists.err()).isEqualTo(ErrorCode.NO_NODE);
            assertThat(c.checkWatches("/cw-exist", WatcherType.DATA)).isEqualTo(ErrorCode.OK);
        }
    }

    @Test
    void checkWatchesSeesOnlyTheCallingConnectionsWatches() throws IOException {
        try (Client a = new Client(); Client b = new Client()) {
            a.create("/cw-mine");
            assertThat(a.getData("/cw-mine", true).err()).isZero();
            assertThat(b.checkWatches("/cw-mine", WatcherType.DATA)).isEqualTo(ErrorCode.NO_WATCHER);
            assertThat(b.removeWatches("/cw-mine", WatcherType.ANY)).isEqualTo(ErrorCode.NO_WATCHER);
            assertThat(a.checkWatches("/cw-mine", WatcherType.DATA)).isEqualTo(ErrorCode.OK);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // removeWatches (18)

    @Test
    void removeWatchesWithoutAWatchIsNoWatcher() throws IOException {
        try (Client c = new Client()) {
            c.create("/rw-none");
            for (int type = WatcherType.CHILDREN; type <= WatcherType.PERSISTENT_RECURSIVE; type++) {
                assertThat(c.removeWatches("/rw-none", type)).as("type %d", type).isEqualTo(ErrorCode.NO_WATCHER);
            }
        }
    }

    @Test
    void removeWatchesRemovesTheDataWatchAndNoEventFollows() throws IOException {
        try (Client c = new Client()) {
            c.create("/rw-data");
            assertThat(c.getData("/rw-data", true).err()).isZero();
            assertThat(c.removeWatches("/rw-data", WatcherType.CHILDREN)).isEqualTo(ErrorCode.NO_WATCHER);
            assertThat(c.removeWatches("/rw-data", WatcherType.DATA)).isEqualTo(ErrorCode.OK);
            assertThat(c.checkWatches("/rw-data", WatcherType.DATA)).isEqualTo(ErrorCode.NO_WATCHER);
            assertThat(c.removeWatches("/rw-data", WatcherType.DATA)).isEqualTo(ErrorCode.NO_WATCHER);
            // a change now sends no notification ahead of its reply (and no DataWatchRemoved from the server)
            Exchange set = c.call(OpCode.SET_DATA, new SetDataRequest("/rw-data", null, -1));
            assertThat(set.err()).isZero();
            assertThat(set.notifications()).isEmpty();
        }
    }

    @Test
    void removeWatchesAnyTakesDataAndChildWatches() throws IOException {
        try (Client c = new Client()) {
            c.create("/rw-any");
            assertThat(c.getData("/rw-any", true).err()).isZero();
            assertThat(c.call(OpCode.GET_CHILDREN2, new PathWatchRequest("/rw-any", true)).err()).isZero();
            assertThat(c.removeWatches("/rw-any", WatcherType.ANY)).isEqualTo(ErrorCode.OK);
            assertThat(c.checkWatches("/rw-any", WatcherType.ANY)).isEqualTo(ErrorCode.NO_WATCHER);
            Exchange create = c.call(OpCode.CREATE, new CreateRequest("/rw-any/kid", null, Acl.OPEN_ACL_UNSAFE, 0,
                    -1));
            assertThat(create.err()).isZero();
            assertThat(create.notifications()).isEmpty();
        }
    }

    @Test
    void removeWatchesOfAPersistentWatch() throws IOException {
        try (Client c = new Client()) {
            c.create("/rw-persistent");
            assertThat(c.call(OpCode.ADD_WATCH, new PathTypeRequest("/rw-persistent", AddWatchMode.PERSISTENT))
                    .err()).isZero();
            assertThat(c.removeWatches("/rw-persistent", WatcherType.DATA)).isEqualTo(ErrorCode.NO_WATCHER);
            assertThat(c.removeWatches("/rw-persistent", WatcherType.PERSISTENT_RECURSIVE))
                    .isEqualTo(ErrorCode.NO_WATCHER);
            assertThat(c.removeWatches("/rw-persistent", WatcherType.PERSISTENT)).isEqualTo(ErrorCode.OK);
            assertThat(c.call(OpCode.SET_DATA, new SetDataRequest("/rw-persistent", null, -1)).notifications())
                    .isEmpty();
        }
    }

    @Test
    void invalidWatcherTypeIsMarshallingErrorAndTheConnectionStaysUsable() throws IOException {
        try (Client c = new Client()) {
            c.create("/wt-invalid");
            assertThat(c.getData("/wt-invalid", true).err()).isZero();
            for (int type : new int[] {0, 6, 9, -1}) {
                assertThat(c.checkWatches("/wt-invalid", type)).as("checkWatches type %d", type)
                        .isEqualTo(ErrorCode.MARSHALLING_ERROR);
                assertThat(c.removeWatches("/wt-invalid", type)).as("removeWatches type %d", type)
                        .isEqualTo(ErrorCode.MARSHALLING_ERROR);
            }
            // nothing was removed, and the connection works
            assertThat(c.checkWatches("/wt-invalid", WatcherType.DATA)).isEqualTo(ErrorCode.OK);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // addWatch (106)

    @Test
    void addWatchWithAnUnknownModeIsMarshallingError() throws IOException {
        try (Client c = new Client()) {
            for (int mode : new int[] {7, 2, -1}) {
                Exchange e = c.call(OpCode.ADD_WATCH, new PathTypeRequest("/aw-invalid", mode));
                assertThat(e.err()).as("mode %d", mode).isEqualTo(ErrorCode.MARSHALLING_ERROR);
                assertThat(e.reply().body().readableBytes()).isZero();
            }
            assertThat(c.checkWatches("/aw-invalid", WatcherType.ANY)).isEqualTo(ErrorCode.NO_WATCHER);
        }
    }

    @Test
    void addWatchAnswersWithAnIntZeroBody() throws IOException {
        try (Client c = new Client()) {
            c.create("/aw-body");
            for (int mode : new int[] {AddWatchMode.PERSISTENT, AddWatchMode.PERSISTENT_RECURSIVE}) {
                Exchange e = c.call(OpCode.ADD_WATCH, new PathTypeRequest("/aw-body", mode));
                assertThat(e.err()).isZero();
                assertThat(e.reply().body().readableBytes()).as("ErrorResponse body").isEqualTo(4);
                assertThat(e.reply().body().readInt()).isZero();
            }
            assertThat(c.checkWatches("/aw-body", WatcherType.PERSISTENT)).isEqualTo(ErrorCode.OK);
            assertThat(c.checkWatches("/aw-body", WatcherType.PERSISTENT_RECURSIVE)).isEqualTo(ErrorCode.OK);
            assertThat(c.checkWatches("/aw-body", WatcherType.DATA)).isEqualTo(ErrorCode.NO_WATCHER);
            assertThat(c.checkWatches("/aw-body", WatcherType.ANY)).isEqualTo(ErrorCode.OK);
        }
    }

    @Test
    void addWatchNeedsNoNodeAndARecursiveWatchSeesDescendantsBeingCreated() throws IOException {
        try (Client c = new Client()) {
            Exchange add = c.call(OpCode.ADD_WATCH,
                    new PathTypeRequest("/aw-rec", AddWatchMode.PERSISTENT_RECURSIVE));
            assertThat(add.err()).isZero();
            Exchange root = c.call(OpCode.CREATE, new CreateRequest("/aw-rec", null, Acl.OPEN_ACL_UNSAFE, 0, -1));
            assertThat(root.events()).containsExactly(event(EventType.NODE_CREATED, "/aw-rec"));
            assertThat(root.notifications().get(0).header().zxid()).isEqualTo(root.zxid());
            Exchange kid = c.call(OpCode.CREATE, new CreateRequest("/aw-rec/kid", null, Acl.OPEN_ACL_UNSAFE, 0,
                    -1));
            assertThat(kid.events()).as("no NodeChildrenChanged for a recursive watch")
                    .containsExactly(event(EventType.NODE_CREATED, "/aw-rec/kid"));
            Exchange again = c.call(OpCode.SET_DATA, new SetDataRequest("/aw-rec/kid", null, -1));
            assertThat(again.events()).containsExactly(event(EventType.NODE_DATA_CHANGED, "/aw-rec/kid"));
        }
    }

    @Test
    void persistentWatchFiresOnEveryChangeAndStays() throws IOException {
        try (Client c = new Client()) {
            c.create("/aw-p");
            assertThat(c.call(OpCode.ADD_WATCH, new PathTypeRequest("/aw-p", AddWatchMode.PERSISTENT)).err())
                    .isZero();
            for (int i = 0; i < 2; i++) {
                Exchange set = c.call(OpCode.SET_DATA, new SetDataRequest("/aw-p", null, -1));
                assertThat(set.events()).containsExactly(event(EventType.NODE_DATA_CHANGED, "/aw-p"));
                assertThat(set.notifications().get(0).header().zxid()).isEqualTo(set.zxid());
            }
            Exchange kid = c.call(OpCode.CREATE, new CreateRequest("/aw-p/kid", null, Acl.OPEN_ACL_UNSAFE, 0, -1));
            assertThat(kid.events()).containsExactly(event(EventType.NODE_CHILDREN_CHANGED, "/aw-p"));
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // setWatches (101) / setWatches2 (105)

    @Test
    void setWatchesReportsAMissedDataChangeWithZxidMinusOneBeforeTheReply() throws IOException {
        try (Client c = new Client()) {
            long created = c.create("/sw-changed");
            long changed = c.setData("/sw-changed");
            Exchange e = c.call(OpCode.SET_WATCHES, setWatches(changed - 1, List.of("/sw-changed"), List.of(),
                    List.of()));
            assertThat(e.err()).isZero();
            assertThat(e.zxid()).isEqualTo(changed);
            assertThat(e.reply().body().readableBytes()).as("bare header").isZero();
            assertThat(e.events()).containsExactly(event(EventType.NODE_DATA_CHANGED, "/sw-changed"));
            assertThat(e.notifications().get(0).header()).isEqualTo(new ReplyHeader(-1, -1, 0));
            // reported, not registered
            assertThat(c.checkWatches("/sw-changed", WatcherType.DATA)).isEqualTo(ErrorCode.NO_WATCHER);
            assertThat(created).isLessThan(changed);
        }
    }

    @Test
    void setWatchesRegistersADataWatchThatIsUpToDate() throws IOException {
        try (Client c = new Client()) {
            long changed = c.create("/sw-current");
            Exchange e = c.call(OpCode.SET_WATCHES, setWatches(changed, List.of("/sw-current"), List.of(),
                    List.of()));
            assertThat(e.err()).isZero();
            assertThat(e.notifications()).isEmpty();
            assertThat(c.checkWatches("/sw-current", WatcherType.DATA)).isEqualTo(ErrorCode.OK);
            Exchange set = c.call(OpCode.SET_DATA, new SetDataRequest("/sw-current", null, -1));
            assertThat(set.events()).containsExactly(event(EventType.NODE_DATA_CHANGED, "/sw-current"));
            assertThat(set.notifications().get(0).header().zxid()).isEqualTo(set.zxid());
        }
    }

    @Test
    void setWatchesExistWatchOnAnExistingNodeFiresNodeCreatedNow() throws IOException {
        try (Client c = new Client()) {
            long created = c.create("/sw-exists");
            // regardless of zxids: even a relativeZxid past the node's creation
            Exchange e = c.call(OpCode.SET_WATCHES, setWatches(created, List.of(), List.of("/sw-exists"), List.of()));
            assertThat(e.err()).isZero();
            assertThat(e.events()).containsExactly(event(EventType.NODE_CREATED, "/sw-exists"));
            assertThat(e.notifications().get(0).header().zxid()).isEqualTo(-1);
            assertThat(c.checkWatches("/sw-exists", WatcherType.DATA)).isEqualTo(ErrorCode.NO_WATCHER);
        }
    }

    @Test
    void setWatchesExistWatchOnAMissingNodeFiresOnALaterCreateWithItsZxid() throws IOException {
        try (Client c = new Client()) {
            long before = c.create("/sw-later-parent");
            Exchange e = c.call(OpCode.SET_WATCHES, setWatches(before, List.of(), List.of("/sw-later-parent/x"),
                    List.of()));
            assertThat(e.err()).isZero();
            assertThat(e.notifications()).isEmpty();
            assertThat(c.checkWatches("/sw-later-parent/x", WatcherType.DATA)).isEqualTo(ErrorCode.OK);
            Exchange create = c.call(OpCode.CREATE, new CreateRequest("/sw-later-parent/x", null,
                    Acl.OPEN_ACL_UNSAFE, 0, -1));
            assertThat(create.err()).isZero();
            assertThat(create.events()).containsExactly(event(EventType.NODE_CREATED, "/sw-later-parent/x"));
            assertThat(create.notifications().get(0).header()).isEqualTo(new ReplyHeader(-1, create.zxid(), 0));
            assertThat(create.zxid()).isGreaterThan(before);
        }
    }

    @Test
    void setWatchesReportsEveryMissedChangeInListOrderBeforeTheReply() throws IOException {
        try (Client c = new Client()) {
            c.create("/sw-order");
            c.create("/sw-order/changed");
            c.create("/sw-order/kids");
            c.create("/sw-order/quiet");
            long relative = c.create("/sw-order/present");
            c.setData("/sw-order/changed");
            c.create("/sw-order/kids/new");
            Exchange e = c.call(OpCode.SET_WATCHES, setWatches(relative,
                    List.of("/sw-order/gone", "/sw-order/changed", "/sw-order/quiet"),
                    List.of("/sw-order/present", "/sw-order/absent"),
                    List.of("/sw-order/kids", "/sw-order/quiet", "/sw-order/gone-too")));
            assertThat(e.err()).isZero();
            assertThat(e.events()).containsExactly(
                    event(EventType.NODE_DELETED, "/sw-order/gone"),
                    event(EventType.NODE_DATA_CHANGED, "/sw-order/changed"),
                    event(EventType.NODE_CREATED, "/sw-order/present"),
                    event(EventType.NODE_CHILDREN_CHANGED, "/sw-order/kids"),
                    event(EventType.NODE_DELETED, "/sw-order/gone-too"));
            assertThat(e.notifications()).allSatisfy(n -> assertThat(n.header().zxid()).isEqualTo(-1));
            // what was not reported was registered
            assertThat(c.checkWatches("/sw-order/quiet", WatcherType.DATA)).isEqualTo(ErrorCode.OK);
            assertThat(c.checkWatches("/sw-order/quiet", WatcherType.CHILDREN)).isEqualTo(ErrorCode.OK);
            assertThat(c.checkWatches("/sw-order/absent", WatcherType.DATA)).isEqualTo(ErrorCode.OK);
            assertThat(c.checkWatches("/sw-order/kids", WatcherType.CHILDREN)).isEqualTo(ErrorCode.NO_WATCHER);
            // a delete fires the registered data and child watches of the node once, then its parent's nothing
            Exchange delete = c.call(OpCode.DELETE, new DeleteRequest("/sw-order/quiet", -1));
            assertThat(delete.events()).containsExactly(event(EventType.NODE_DELETED, "/sw-order/quiet"));
        }
    }

    @Test
    void setWatchesEchoesTheSpecialXidMinusEight() throws IOException {
        try (Client c = new Client()) {
            Exchange e = c.call(-8, OpCode.SET_WATCHES, setWatches(0, List.of(), List.of(), List.of()));
            assertThat(e.reply().header().xid()).isEqualTo(-8);
            assertThat(e.err()).isZero();
        }
    }

    @Test
    void setWatches2ReportsMissedChangesAndRegistersPersistentWatches() throws IOException {
        try (Client c = new Client()) {
            c.create("/sw2");
            long relative = c.create("/sw2/changed");
            long changed = c.setData("/sw2/changed");
            Exchange e = c.call(OpCode.SET_WATCHES2, new SetWatchesRequest(relative,
                    List.of("/sw2/changed"), List.of("/sw2/later"), List.of(),
                    List.of("/sw2/p"), List.of("/sw2/r"), true));
            assertThat(e.err()).isZero();
            assertThat(e.zxid()).isEqualTo(changed);
            assertThat(e.reply().body().readableBytes()).isZero();
            assertThat(e.events()).containsExactly(event(EventType.NODE_DATA_CHANGED, "/sw2/changed"));
            assertThat(e.notifications().get(0).header().zxid()).isEqualTo(-1);

            assertThat(c.checkWatches("/sw2/p", WatcherType.PERSISTENT)).isEqualTo(ErrorCode.OK);
            assertThat(c.checkWatches("/sw2/r", WatcherType.PERSISTENT_RECURSIVE)).isEqualTo(ErrorCode.OK);

            // the exist watch and the recursive watch fire on creates, with the create's zxid
            Exchange later = c.call(OpCode.CREATE, new CreateRequest("/sw2/later", null, Acl.OPEN_ACL_UNSAFE, 0,
                    -1));
            assertThat(later.events()).containsExactly(event(EventType.NODE_CREATED, "/sw2/later"));
            assertThat(later.notifications().get(0).header().zxid()).isEqualTo(later.zxid());
            Exchange deep = c.call(OpCode.CREATE, new CreateRequest("/sw2/r", null, Acl.OPEN_ACL_UNSAFE, 0, -1));
            assertThat(deep.events()).containsExactly(event(EventType.NODE_CREATED, "/sw2/r"));
            Exchange p = c.call(OpCode.CREATE, new CreateRequest("/sw2/p", null, Acl.OPEN_ACL_UNSAFE, 0, -1));
            assertThat(p.events()).containsExactly(event(EventType.NODE_CREATED, "/sw2/p"));
            Exchange pKid = c.call(OpCode.CREATE, new CreateRequest("/sw2/p/kid", null, Acl.OPEN_ACL_UNSAFE, 0,
                    -1));
            assertThat(pKid.events()).containsExactly(event(EventType.NODE_CHILDREN_CHANGED, "/sw2/p"));
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // sync (9)

    @Test
    void syncEchoesThePath() throws IOException {
        try (Client c = new Client()) {
            long created = c.create("/sync-me");
            for (String path : new String[] {"/sync-me", "/", "/sync/no/such/node"}) {
                Exchange e = c.call(OpCode.SYNC, new PathRequest(path));
                assertThat(e.err()).as("sync %s", path).isZero();
                assertThat(e.zxid()).isEqualTo(created);
                ByteBuf body = e.reply().body();
                assertThat(CreateResponse.read(input(body)).path()).isEqualTo(path);
                assertThat(body.readableBytes()).isZero();
            }
        }
    }
}
