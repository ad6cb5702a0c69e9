package io.corral.protocol;

import static io.corral.protocol.ZkJute.acl;
import static io.corral.protocol.ZkJute.corral;
import static io.corral.protocol.ZkJute.corralRead;
import static io.corral.protocol.ZkJute.stat;
import static io.corral.protocol.ZkJute.zk;
import static io.corral.protocol.ZkJute.zkAcl;
import static io.corral.protocol.ZkJute.zkRead;
import static io.corral.protocol.ZkJute.zkStat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.zookeeper.MultiOperationRecord;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.proto.GetChildrenRequest;
import org.apache.zookeeper.proto.GetDataRequest;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every record both ways: Corral's encoding must be byte-identical to ZooKeeper 3.9.5's generated classes, ZooKeeper
 * must decode what Corral writes, and Corral must decode what ZooKeeper writes, consuming exactly the record's bytes.
 * Null buffers, null strings and null/empty vectors included.
 */
class JuteCrossCheckTest {

    private static final Stat STAT = new Stat(0x1_0000_0002L, 0x1_0000_0007L, 1_700_000_000_123L,
            1_700_000_999_456L, 3, -2, -1, 0x0100_0012_BD73_0001L, 5, 2, 0x1_0000_0009L);
    private static final List<Acl> ACLS = List.of(
            new Acl(Perms.ALL, Id.ANYONE),
            new Acl(Perms.READ | Perms.ADMIN, new Id("digest", "alice:V55/p2T0OpjQ+low3NVAH4aLvm0=")),
            new Acl(Perms.CREATE, new Id("ip", "10.0.0.0/8")),
            new Acl(Perms.ALL, Id.AUTH));
    private static final byte[] PASSWORD = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, (byte) 0xff};

    private static final RecursiveComparisonConfiguration STRICT = RecursiveComparisonConfiguration.builder()
            .withStrictTypeChecking(true).build();

    private static void assertSameRecord(Object actual, Object expected) {
        assertThat(actual).usingRecursiveComparison(STRICT).isEqualTo(expected);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // --- handshake ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void connectRequestWithTheReadOnlyByte(boolean readOnly) {
        ConnectRequest ours = new ConnectRequest(0, 0x5_0000_0003L, 30_000, 0x0100_0012_BD73_0000L, PASSWORD,
                readOnly);
        org.apache.zookeeper.proto.ConnectRequest theirs = new org.apache.zookeeper.proto.ConnectRequest(0,
                0x5_0000_0003L, 30_000, 0x0100_0012_BD73_0000L, PASSWORD, readOnly);

        byte[] bytes = corral(ours);
        assertThat(bytes).hasSize(45).isEqualTo(zk(theirs));
        assertThat(zkRead(bytes, new org.apache.zookeeper.proto.ConnectRequest())).isEqualTo(theirs);
        assertSameRecord(corralRead(zk(theirs), ConnectRequest::read), ours);
    }

    @Test
    void connectRequestWithoutTheReadOnlyByteIsTheReferenceEncodingMinusItsLastByte() {
        ConnectRequest ours = new ConnectRequest(0, 0, 10_000, 0, new byte[16], null);
        byte[] reference = zk(new org.apache.zookeeper.proto.ConnectRequest(0, 0, 10_000, 0, new byte[16], false));

        byte[] bytes = corral(ours);
        assertThat(bytes).hasSize(44).isEqualTo(Arrays.copyOf(reference, 44));
        ConnectRequest decoded = corralRead(Arrays.copyOf(reference, 44), ConnectRequest::read);
        assertThat(decoded.readOnly()).isNull();
        assertSameRecord(decoded, ours);
    }

    @Test
    void connectRequestWithNullAndEmptyPasswords() {
        for (byte[] password : new byte[][] {null, new byte[0]}) {
            ConnectRequest ours = new ConnectRequest(0, 0, 10_000, 0, password, false);
            org.apache.zookeeper.proto.ConnectRequest theirs =
                    new org.apache.zookeeper.proto.ConnectRequest(0, 0, 10_000, 0, password, false);
            assertThat(corral(ours)).isEqualTo(zk(theirs));
            assertThat(zkRead(corral(ours), new org.apache.zookeeper.proto.ConnectRequest()).getPasswd())
                    .isEqualTo(password);
            assertThat(corralRead(zk(theirs), ConnectRequest::read).passwd()).isEqualTo(password);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void connectResponseWithTheReadOnlyByte(boolean readOnly) {
        ConnectResponse ours = new ConnectResponse(0, 12_000, 0x0100_0012_BD73_0001L, PASSWORD, readOnly);
        org.apache.zookeeper.proto.ConnectResponse theirs =
                new org.apache.zookeeper.proto.ConnectResponse(0, 12_000, 0x0100_0012_BD73_0001L, PASSWORD, readOnly);

        byte[] bytes = corral(ours);
        assertThat(bytes).hasSize(37).isEqualTo(zk(theirs));
        assertThat(zkRead(bytes, new org.apache.zookeeper.proto.ConnectResponse())).isEqualTo(theirs);
        assertSameRecord(corralRead(zk(theirs), ConnectResponse::read), ours);
    }

    @Test
    void connectResponseWithoutTheReadOnlyByteAndTheRejection() {
        ConnectResponse ours = new ConnectResponse(0, 0, 0, new byte[16], null);
        byte[] reference = zk(new org.apache.zookeeper.proto.ConnectResponse(0, 0, 0, new byte[16], false));
        assertThat(corral(ours)).hasSize(36).isEqualTo(Arrays.copyOf(reference, 36));
        assertSameRecord(corralRead(Arrays.copyOf(reference, 36), ConnectResponse::read), ours);
        assertSameRecord(corralRead(reference, ConnectResponse::read),
                new ConnectResponse(0, 0, 0, new byte[16], false));
    }

    // --- headers -----------------------------------------------------------------------------------------------

    @Test
    void requestHeader() {
        for (int[] xidType : new int[][] {{1, OpCode.CREATE}, {-2, OpCode.PING}, {-4, OpCode.AUTH},
                {Integer.MAX_VALUE, OpCode.CLOSE_SESSION}, {-8, OpCode.SET_WATCHES2}}) {
            RequestHeader ours = new RequestHeader(xidType[0], xidType[1]);
            org.apache.zookeeper.proto.RequestHeader theirs =
                    new org.apache.zookeeper.proto.RequestHeader(xidType[0], xidType[1]);
            assertThat(corral(ours)).hasSize(8).isEqualTo(zk(theirs));
            assertThat(zkRead(corral(ours), new org.apache.zookeeper.proto.RequestHeader())).isEqualTo(theirs);
            assertThat(corralRead(zk(theirs), RequestHeader::read)).isEqualTo(ours);
        }
    }

    @Test
    void replyHeader() {
        for (ReplyHeader ours : List.of(new ReplyHeader(7, 0x1_0000_0002L, 0),
                new ReplyHeader(-1, -1, 0), new ReplyHeader(-2, 42, 0),
                new ReplyHeader(3, -1, ErrorCode.UNIMPLEMENTED), new ReplyHeader(9, 12, ErrorCode.NO_WATCHER))) {
            org.apache.zookeeper.proto.ReplyHeader theirs =
                    new org.apache.zookeeper.proto.ReplyHeader(ours.xid(), ours.zxid(), ours.err());
            assertThat(corral(ours)).hasSize(16).isEqualTo(zk(theirs));
            assertThat(zkRead(corral(ours), new org.apache.zookeeper.proto.ReplyHeader())).isEqualTo(theirs);
            assertThat(corralRead(zk(theirs), ReplyHeader::read)).isEqualTo(ours);
        }
    }

    // --- requests ----------------------------------------------------------------------------------------------

    @Test
    void createRequestWithDataNullDataEmptyDataAndAclVectors() {
        List<byte[]> datas = Arrays.asList(utf8("hi \u00e9\u4e2d"), null, new byte[0]);
        List<List<Acl>> acls = Arrays.asList(ACLS, Acl.OPEN_ACL_UNSAFE, List.of(), null);
        for (byte[] data : datas) {
            for (List<Acl> acl : acls) {
                for (int flags : new int[] {0, 1, 3, 4, 7, -1}) {
                    CreateRequest ours = new CreateRequest("/app/n\u00f6de-\u4e2d", data, acl, flags, -1);
                    org.apache.zookeeper.proto.CreateRequest theirs = new org.apache.zookeeper.proto.CreateRequest(
                            ours.path(), data, zkAcl(acl), flags);
                    assertThat(corral(ours)).isEqualTo(zk(theirs));
                    org.apache.zookeeper.proto.CreateRequest back =
                            zkRead(corral(ours), new org.apache.zookeeper.proto.CreateRequest());
                    assertThat(back.getPath()).isEqualTo(ours.path());
                    assertThat(back.getData()).isEqualTo(data);
                    assertThat(acl(back.getAcl())).isEqualTo(acl);
                    assertThat(back.getFlags()).isEqualTo(flags);
                    CreateRequest decoded = corralRead(zk(theirs), in -> CreateRequest.read(in, false));
                    assertSameRecord(decoded, ours);
                    assertThat(decoded.hasTtl()).isFalse();
                }
            }
        }
    }

    @Test
    void createRequestWithANullPath() {
        CreateRequest ours = new CreateRequest(null, null, null, 0, -1);
        org.apache.zookeeper.proto.CreateRequest theirs = new org.apache.zookeeper.proto.CreateRequest(null, null, null, 0);
        assertThat(corral(ours)).isEqualTo(zk(theirs)).hasSize(16);
        assertSameRecord(corralRead(zk(theirs), in -> CreateRequest.read(in, false)), ours);
        assertThat(zkRead(corral(ours), new org.apache.zookeeper.proto.CreateRequest()).getPath()).isNull();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 60_000, 0xFF_FFFF_FFFFL, 0, Long.MAX_VALUE})
    void createTtlRequest(long ttl) {
        CreateRequest ours = new CreateRequest("/ttl", utf8("x"), ACLS, CreateMode.PERSISTENT_WITH_TTL.flag(), ttl);
        org.apache.zookeeper.proto.CreateTTLRequest theirs = new org.apache.zookeeper.proto.CreateTTLRequest(
                "/ttl", utf8("x"), zkAcl(ACLS), CreateMode.PERSISTENT_WITH_TTL.flag(), ttl);
        assertThat(corral(ours)).isEqualTo(zk(theirs));
        org.apache.zookeeper.proto.CreateTTLRequest back =
                zkRead(corral(ours), new org.apache.zookeeper.proto.CreateTTLRequest());
        assertThat(back.getTtl()).isEqualTo(ttl);
        assertThat(acl(back.getAcl())).isEqualTo(ACLS);
        CreateRequest decoded = corralRead(zk(theirs), in -> CreateRequest.read(in, true));
        assertSameRecord(decoded, ours);
        assertThat(decoded.hasTtl()).isTrue();
    }

    @Test
    void deleteRequest() {
        for (DeleteRequest ours : List.of(new DeleteRequest("/a/b", -1), new DeleteRequest("/", 7),
                new DeleteRequest(null, 0))) {
            org.apache.zookeeper.proto.DeleteRequest theirs =
                    new org.apache.zookeeper.proto.DeleteRequest(ours.path(), ours.version());
            assertThat(corral(ours)).isEqualTo(zk(theirs));
            org.apache.zookeeper.proto.DeleteRequest back =
                    zkRead(corral(ours), new org.apache.zookeeper.proto.DeleteRequest());
            assertThat(back.getPath()).isEqualTo(ours.path());
            assertThat(back.getVersion()).isEqualTo(ours.version());
            assertThat(corralRead(zk(theirs), DeleteRequest::read)).isEqualTo(ours);
        }
    }

    @Test
    void setDataRequest() {
        for (byte[] data : Arrays.asList(utf8("value"), null, new byte[0], new byte[70_000])) {
            SetDataRequest ours = new SetDataRequest("/sd", data, 41);
            org.apache.zookeeper.proto.SetDataRequest theirs =
                    new org.apache.zookeeper.proto.SetDataRequest("/sd", data, 41);
            assertThat(corral(ours)).isEqualTo(zk(theirs));
            org.apache.zookeeper.proto.SetDataRequest back =
                    zkRead(corral(ours), new org.apache.zookeeper.proto.SetDataRequest());
            assertThat(back.getData()).isEqualTo(data);
            assertThat(back.getVersion()).isEqualTo(41);
            assertSameRecord(corralRead(zk(theirs), SetDataRequest::read), ours);
        }
    }

    @Test
    void setAclRequest() {
        for (List<Acl> acl : Arrays.asList(ACLS, List.<Acl>of(), null)) {
            SetAclRequest ours = new SetAclRequest("/acl", acl, -1);
            org.apache.zookeeper.proto.SetACLRequest theirs =
                    new org.apache.zookeeper.proto.SetACLRequest("/acl", zkAcl(acl), -1);
            assertThat(corral(ours)).isEqualTo(zk(theirs));
            org.apache.zookeeper.proto.SetACLRequest back =
                    zkRead(corral(ours), new org.apache.zookeeper.proto.SetACLRequest());
            assertThat(acl(back.getAcl())).isEqualTo(acl);
            assertThat(corralRead(zk(theirs), SetAclRequest::read)).isEqualTo(ours);
        }
    }

    @Test
    void setWatches() {
        SetWatchesRequest ours = new SetWatchesRequest(0x2_0000_0010L, List.of("/d1", "/d\u00e9"), List.of(),
                List.of("/c"), List.of(), List.of(), false);
        org.apache.zookeeper.proto.SetWatches theirs = new org.apache.zookeeper.proto.SetWatches(0x2_0000_0010L,
                List.of("/d1", "/d\u00e9"), List.of(), List.of("/c"));
        assertThat(corral(ours)).isEqualTo(zk(theirs));
        assertThat(zkRead(corral(ours), new org.apache.zookeeper.proto.SetWatches())).isEqualTo(theirs);
        assertThat((Object) corralRead(zk(theirs), in -> SetWatchesRequest.read(in, false))).isEqualTo(ours);
    }

    @Test
    void setWatchesWithNullVectorsDecodesAsEmptyLists() {
        byte[] bytes = zk(new org.apache.zookeeper.proto.SetWatches(5, null, null, null));
        assertThat(bytes).hasSize(8 + 3 * 4);
        assertThat((Object) corralRead(bytes, in -> SetWatchesRequest.read(in, false)))
                .isEqualTo(new SetWatchesRequest(5, List.of(), List.of(), List.of(), List.of(), List.of(), false));
        // and Corral writes null vectors the way ZooKeeper does
        assertThat(corral(new SetWatchesRequest(5, null, null, null, null, null, false))).isEqualTo(bytes);
    }

    @Test
    void setWatches2() {
        SetWatchesRequest ours = new SetWatchesRequest(-1, List.of("/d"), List.of("/e1", "/e2"), List.of(),
                List.of("/p"), List.of("/r", "/r/deep"), true);
        org.apache.zookeeper.proto.SetWatches2 theirs = new org.apache.zookeeper.proto.SetWatches2(-1,
                List.of("/d"), List.of("/e1", "/e2"), List.of(), List.of("/p"), List.of("/r", "/r/deep"));
        assertThat(corral(ours)).isEqualTo(zk(theirs));
        assertThat(zkRead(corral(ours), new org.apache.zookeeper.proto.SetWatches2())).isEqualTo(theirs);
        assertThat((Object) corralRead(zk(theirs), in -> SetWatchesRequest.read(in, true))).isEqualTo(ours);

        byte[] nulls = zk(new org.apache.zookeeper.proto.SetWatches2(0, null, null, null, null, null));
        assertThat((Object) corralRead(nulls, in -> SetWatchesRequest.read(in, true)))
                .isEqualTo(new SetWatchesRequest(0, List.of(), List.of(), List.of(), List.of(), List.of(), true));
    }

    // --- responses ---------------------------------------------------------------------------------------------

    @Test
    void getDataResponseWithDataNullDataAndEmptyData() {
        for (byte[] data : Arrays.asList(utf8("payload"), null, new byte[0])) {
            GetDataResponse ours = new GetDataResponse(data, STAT);
            org.apache.zookeeper.proto.GetDataResponse theirs =
                    new org.apache.zookeeper.proto.GetDataResponse(data, zkStat(STAT));
            assertThat(corral(ours)).hasSize(4 + (data == null ? 0 : data.length) + 68).isEqualTo(zk(theirs));
            org.apache.zookeeper.proto.GetDataResponse back =
                    zkRead(corral(ours), new org.apache.zookeeper.proto.GetDataResponse());
            assertThat(back.getData()).isEqualTo(data);
            assertThat(stat(back.getStat())).isEqualTo(STAT);
            assertSameRecord(corralRead(zk(theirs), GetDataResponse::read), ours);
        }
    }

    @Test
    void statFieldOrderMatchesTheReference() {
        // every field a distinct value, so a swapped pair cannot go unnoticed
        Stat distinct = new Stat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        byte[] bytes = corral(new StatResponse(distinct));
        assertThat(bytes).hasSize(68).isEqualTo(zk(zkStat(distinct)));
        assertThat(stat(zkRead(bytes, new org.apache.zookeeper.data.Stat()))).isEqualTo(distinct);
    }

    @Test
    void create2Response() {
        for (String path : Arrays.asList("/seq/0000000042", "/", null)) {
            Create2Response ours = new Create2Response(path, STAT);
            org.apache.zookeeper.proto.Create2Response theirs =
                    new org.apache.zookeeper.proto.Create2Response(path, zkStat(STAT));
            assertThat(corral(ours)).isEqualTo(zk(theirs));
            org.apache.zookeeper.proto.Create2Response back =
                    zkRead(corral(ours), new org.apache.zookeeper.proto.Create2Response());
            assertThat(back.getPath()).isEqualTo(path);
            assertThat(stat(back.getStat())).isEqualTo(STAT);
            assertThat(corralRead(zk(theirs), Create2Response::read)).isEqualTo(ours);
        }
    }

    @Test
    void getChildren2ResponseWithChildrenNoChildrenAndANullVector() {
        for (List<String> children : Arrays.asList(List.of("zookeeper", "demo", "\u00fcml\u00e4ut", ""),
                List.<String>of(), null)) {
            GetChildren2Response ours = new GetChildren2Response(children, STAT);
            org.apache.zookeeper.proto.GetChildren2Response theirs =
                    new org.apache.zookeeper.proto.GetChildren2Response(children, zkStat(STAT));
            assertThat(corral(ours)).isEqualTo(zk(theirs));
            org.apache.zookeeper.proto.GetChildren2Response back =
                    zkRead(corral(ours), new org.apache.zookeeper.proto.GetChildren2Response());
            assertThat(back.getChildren()).isEqualTo(children);
            assertThat(stat(back.getStat())).isEqualTo(STAT);
            assertThat(corralRead(zk(theirs), GetChildren2Response::read)).isEqualTo(ours);
        }
    }

    @Test
    void watcherEvent() {
        for (WatcherEvent ours : List.of(new WatcherEvent(EventType.NODE_CREATED, KeeperState.SYNC_CONNECTED, "/a"),
                new WatcherEvent(EventType.NODE_CHILDREN_CHANGED, KeeperState.SYNC_CONNECTED, "/"),
                new WatcherEvent(EventType.NONE, -112, ""))) {
            org.apache.zookeeper.proto.WatcherEvent theirs =
                    new org.apache.zookeeper.proto.WatcherEvent(ours.type(), ours.state(), ours.path());
            assertThat(corral(ours)).isEqualTo(zk(theirs));
            assertThat(zkRead(corral(ours), new org.apache.zookeeper.proto.WatcherEvent())).isEqualTo(theirs);
            assertThat(corralRead(zk(theirs), WatcherEvent::read)).isEqualTo(ours);
        }
        WatcherEvent nullPath = new WatcherEvent(EventType.NODE_DELETED, KeeperState.SYNC_CONNECTED, null);
        assertThat(corral(nullPath)).isEqualTo(zk(new org.apache.zookeeper.proto.WatcherEvent(2, 3, null)));
        assertThat(corralRead(corral(nullPath), WatcherEvent::read)).isEqualTo(nullPath);
    }

    // --- multi -------------------------------------------------------------------------------------------------

    @Test
    void multiRequestWithEveryWriteOp() throws Exception {
        MultiOperationRecord theirs = new MultiOperationRecord(List.of(
                Op.create("/m", utf8("d"), zkAcl(ACLS), org.apache.zookeeper.CreateMode.PERSISTENT),
                Op.create("/m/e", null, zkAcl(Acl.OPEN_ACL_UNSAFE), org.apache.zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL),
                Op.create("/m/c", new byte[0], zkAcl(Acl.OPEN_ACL_UNSAFE), org.apache.zookeeper.CreateMode.CONTAINER),
                Op.create("/m/t", utf8("t"), zkAcl(Acl.OPEN_ACL_UNSAFE),
                        org.apache.zookeeper.CreateMode.PERSISTENT_WITH_TTL, 5_000),
                Op.setData("/m", null, 0),
                Op.check("/m", 1),
                Op.delete("/m/c", -1)));
        MultiRequest ours = new MultiRequest(List.of(
                new MultiOp(OpCode.CREATE, new CreateRequest("/m", utf8("d"), ACLS, 0, -1)),
                new MultiOp(OpCode.CREATE, new CreateRequest("/m/e", null, Acl.OPEN_ACL_UNSAFE, 3, -1)),
                new MultiOp(OpCode.CREATE_CONTAINER, new CreateRequest("/m/c", new byte[0], Acl.OPEN_ACL_UNSAFE, 4, -1)),
                new MultiOp(OpCode.CREATE_TTL, new CreateRequest("/m/t", utf8("t"), Acl.OPEN_ACL_UNSAFE, 5, 5_000)),
                new MultiOp(OpCode.SET_DATA, new SetDataRequest("/m", null, 0)),
                new MultiOp(OpCode.CHECK, new CheckVersionRequest("/m", 1)),
                new MultiOp(OpCode.DELETE, new DeleteRequest("/m/c", -1))));

        assertThat(corral(ours)).isEqualTo(zk(theirs));
        assertThat(zkRead(corral(ours), new MultiOperationRecord())).isEqualTo(theirs);
        assertSameRecord(corralRead(zk(theirs), MultiRequest::read), ours);
    }

    @Test
    void multiReadRequest() throws Exception {
        MultiOperationRecord theirs = new MultiOperationRecord(List.of(Op.getData("/a"), Op.getChildren("/")));
        MultiRequest ours = new MultiRequest(List.of(
                new MultiOp(OpCode.GET_DATA, new PathWatchRequest("/a", false)),
                new MultiOp(OpCode.GET_CHILDREN, new PathWatchRequest("/", false))));
        assertThat(corral(ours)).isEqualTo(zk(theirs));
        MultiOperationRecord back = zkRead(corral(ours), new MultiOperationRecord());
        assertThat(back.size()).isEqualTo(2);
        assertThat(back.iterator().next().toRequestRecord()).isEqualTo(new GetDataRequest("/a", false));
        assertSameRecord(corralRead(zk(theirs), MultiRequest::read), ours);
        // the record ZooKeeper reads for a getChildren op is a GetChildrenRequest
        assertThat(zk(new GetChildrenRequest("/", false))).isEqualTo(corral(new PathWatchRequest("/", false)));
    }

    @Test
    void emptyMultiRequestIsJustTheTerminator() {
        MultiRequest ours = new MultiRequest(List.of());
        byte[] bytes = corral(ours);
        assertThat(bytes).hasSize(9).isEqualTo(zk(new MultiOperationRecord()));
        assertThat(zkRead(bytes, new MultiOperationRecord()).size()).isZero();
        assertThat(corralRead(bytes, MultiRequest::read)).isEqualTo(ours);
    }

    @Test
    void multiResponseWithEveryResultType() {
        org.apache.zookeeper.MultiResponse theirs = new org.apache.zookeeper.MultiResponse();
        theirs.add(new OpResult.CreateResult("/m"));
        theirs.add(new OpResult.CreateResult("/m/e0000000001", zkStat(STAT)));
        theirs.add(new OpResult.SetDataResult(zkStat(STAT)));
        theirs.add(new OpResult.CheckResult());
        theirs.add(new OpResult.DeleteResult());
        MultiResponse ours = new MultiResponse(List.of(
                new MultiResult(OpCode.CREATE, 0, new CreateResponse("/m")),
                new MultiResult(OpCode.CREATE2, 0, new Create2Response("/m/e0000000001", STAT)),
                new MultiResult(OpCode.SET_DATA, 0, new StatResponse(STAT)),
                new MultiResult(OpCode.CHECK, 0, null),
                new MultiResult(OpCode.DELETE, 0, null)));

        assertThat(corral(ours)).isEqualTo(zk(theirs));
        assertThat(zkRead(corral(ours), new org.apache.zookeeper.MultiResponse())).isEqualTo(theirs);
        assertSameRecord(corralRead(zk(theirs), MultiResponse::read), ours);
    }

    @Test
    void failedMultiResponse() {
        org.apache.zookeeper.MultiResponse theirs = new org.apache.zookeeper.MultiResponse();
        theirs.add(new OpResult.ErrorResult(0));
        theirs.add(new OpResult.ErrorResult(ErrorCode.BAD_VERSION));
        theirs.add(new OpResult.ErrorResult(ErrorCode.RUNTIME_INCONSISTENCY));
        MultiResponse ours = new MultiResponse(List.of(MultiResult.error(0), MultiResult.error(ErrorCode.BAD_VERSION),
                MultiResult.error(ErrorCode.RUNTIME_INCONSISTENCY)));

        byte[] bytes = corral(ours);
        assertThat(bytes).hasSize(3 * (9 + 4) + 9).isEqualTo(zk(theirs));
        assertThat(zkRead(bytes, new org.apache.zookeeper.MultiResponse())).isEqualTo(theirs);
        assertSameRecord(corralRead(zk(theirs), MultiResponse::read), ours);
    }

    @Test
    void multiReadResponse() {
        org.apache.zookeeper.MultiResponse theirs = new org.apache.zookeeper.MultiResponse();
        theirs.add(new OpResult.GetDataResult(utf8("v"), zkStat(STAT)));
        theirs.add(new OpResult.GetDataResult(null, zkStat(STAT)));
        theirs.add(new OpResult.GetChildrenResult(List.of("a", "b")));
        theirs.add(new OpResult.GetChildrenResult(List.of()));
        theirs.add(new OpResult.ErrorResult(ErrorCode.NO_NODE));
        MultiResponse ours = new MultiResponse(List.of(
                new MultiResult(OpCode.GET_DATA, 0, new GetDataResponse(utf8("v"), STAT)),
                new MultiResult(OpCode.GET_DATA, 0, new GetDataResponse(null, STAT)),
                new MultiResult(OpCode.GET_CHILDREN, 0, new StringListResponse(List.of("a", "b"))),
                new MultiResult(OpCode.GET_CHILDREN, 0, new StringListResponse(List.of())),
                MultiResult.error(ErrorCode.NO_NODE)));

        assertThat(corral(ours)).isEqualTo(zk(theirs));
        org.apache.zookeeper.MultiResponse back = zkRead(corral(ours), new org.apache.zookeeper.MultiResponse());
        assertThat(back.getResultList()).hasSize(5);
        assertThat(((OpResult.GetDataResult) back.getResultList().get(0)).getData()).isEqualTo(utf8("v"));
        assertThat(((OpResult.GetDataResult) back.getResultList().get(1)).getData()).isNull();
        assertThat(((OpResult.GetChildrenResult) back.getResultList().get(2)).getChildren()).containsExactly("a", "b");
        assertThat(((OpResult.ErrorResult) back.getResultList().get(4)).getErr()).isEqualTo(ErrorCode.NO_NODE);
        assertSameRecord(corralRead(zk(theirs), MultiResponse::read), ours);
    }

    @Test
    void emptyMultiResponse() {
        assertThat(corral(new MultiResponse(List.of()))).isEqualTo(zk(new org.apache.zookeeper.MultiResponse()));
        assertThat(corralRead(zk(new org.apache.zookeeper.MultiResponse()), MultiResponse::read).results()).isEmpty();
    }

    @Test
    void opCodesMatchTheReference() {
        assertThat(List.of(OpCode.CREATE, OpCode.DELETE, OpCode.SET_DATA, OpCode.CHECK, OpCode.MULTI,
                OpCode.CREATE2, OpCode.CREATE_CONTAINER, OpCode.CREATE_TTL, OpCode.MULTI_READ, OpCode.SET_WATCHES,
                OpCode.SET_WATCHES2, OpCode.ADD_WATCH, OpCode.CHECK_WATCHES, OpCode.REMOVE_WATCHES, OpCode.ERROR,
                OpCode.CLOSE_SESSION, OpCode.CREATE_SESSION))
                .containsExactly(ZooDefs.OpCode.create, ZooDefs.OpCode.delete, ZooDefs.OpCode.setData,
                        ZooDefs.OpCode.check, ZooDefs.OpCode.multi, ZooDefs.OpCode.create2,
                        ZooDefs.OpCode.createContainer, ZooDefs.OpCode.createTTL, ZooDefs.OpCode.multiRead,
                        ZooDefs.OpCode.setWatches, ZooDefs.OpCode.setWatches2, ZooDefs.OpCode.addWatch,
                        ZooDefs.OpCode.checkWatches, ZooDefs.OpCode.removeWatches, ZooDefs.OpCode.error,
                        ZooDefs.OpCode.closeSession, ZooDefs.OpCode.createSession);
    }
}
