package io.corral.server.sequencer;

import io.corral.protocol.Acl;
import io.corral.protocol.AddWatchMode;
import io.corral.protocol.ClientInfo;
import io.corral.protocol.CreateResponse;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.EventType;
import io.corral.protocol.GetAclResponse;
import io.corral.protocol.GetChildren2Response;
import io.corral.protocol.GetDataResponse;
import io.corral.protocol.Id;
import io.corral.protocol.IntResponse;
import io.corral.protocol.KeeperState;
import io.corral.protocol.MultiOp;
import io.corral.protocol.MultiRequest;
import io.corral.protocol.MultiResponse;
import io.corral.protocol.MultiResult;
import io.corral.protocol.OpCode;
import io.corral.protocol.PathRequest;
import io.corral.protocol.PathTypeRequest;
import io.corral.protocol.PathWatchRequest;
import io.corral.protocol.Perms;
import io.corral.protocol.PreEncodedStrings;
import io.corral.protocol.Record;
import io.corral.protocol.SetWatchesRequest;
import io.corral.protocol.StatResponse;
import io.corral.protocol.StringListResponse;
import io.corral.protocol.WatcherEvent;
import io.corral.protocol.WatcherType;
import io.corral.protocol.WhoAmIResponse;
import io.corral.server.auth.AccessControl;
import io.corral.server.auth.AclValidator;
import io.corral.server.tree.DataNode;
import io.corral.server.tree.DataTree;
import io.corral.server.watch.WatchKind;
import io.corral.server.watch.WatchManager;

import io.corral.protocol.JuteOutput;
import io.netty.buffer.ByteBufUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Requests answered from the tree as it is now (reads), and the watch-management requests. Nothing here makes a
 * txn. Checks follow ZooKeeper's order (ZK_WIRE section 7.5).
 *
 * <p>A reply whose frame would be larger than jute.maxbuffer is refused with MARSHALLINGERROR, the error ZooKeeper
 * answers when it cannot build a response, instead of being sent: ZooKeeper's own client drops the connection on such
 * a frame ("Packet len is out of range"), and a multiRead or getChildren that big would cost the server the memory.
 * multiRead and getChildren stop building as soon as their reply passes the bound.
 */
final class Reads {
    private static final Logger log = LoggerFactory.getLogger(Reads.class);
    /** xid, zxid, err. */
    private static final int REPLY_HEADER = 16;
    /** A multi result's header: type, done, err. */
    private static final int MULTI_HEADER = 9;

    private final DataTree tree;
    private final WatchManager<Connection> watches;
    private final Outbox outbox;
    private final AccessControl acls;
    /** Largest body a reply frame may carry. */
    private final long maxBody;

    Reads(DataTree tree, WatchManager<Connection> watches, Outbox outbox, AccessControl acls, int maxBuffer) {
        this.tree = tree;
        this.watches = watches;
        this.outbox = outbox;
        this.acls = acls;
        this.maxBody = maxBuffer - REPLY_HEADER;
    }

    void answer(Request request) {
        long zxid = tree.lastAppliedZxid();
        try {
            Record body = read(request);
            if (body != null) {
                bounded(JuteOutput.sizeOf(body), request);
            }
            outbox.reply(request, zxid, ErrorCode.OK, body);
        } catch (KeeperError e) {
            outbox.reply(request, zxid, e.code, null);
        }
    }

    /** Refuses a reply body of this many bytes when its frame would exceed jute.maxbuffer. */
    private long bounded(long bodyBytes, Request request) throws KeeperError {
        if (bodyBytes > maxBody) {
            log.debug("Refusing a reply of more than {} bytes to opcode {} of session 0x{}: above jute.maxbuffer",
                    bodyBytes, request.type, Long.toHexString(request.connection.state().sessionId));
            throw new KeeperError(ErrorCode.MARSHALLING_ERROR);
        }
        return bodyBytes;
    }

    private Record read(Request request) throws KeeperError {
        Connection connection = request.connection;
        ConnectionState state = connection.state();
        return switch (request.type) {
            case OpCode.EXISTS -> exists((PathWatchRequest) request.body, connection);
            case OpCode.GET_DATA -> getData((PathWatchRequest) request.body, connection, true);
            case OpCode.GET_CHILDREN -> new StringListResponse(children((PathWatchRequest) request.body, connection,
                    true, request));
            case OpCode.GET_CHILDREN2 -> {
                PathWatchRequest req = (PathWatchRequest) request.body;
                List<String> children = children(req, connection, true, request);
                yield new GetChildren2Response(children, tree.get(req.path()).stat());
            }
            case OpCode.GET_ACL -> getAcl(((PathRequest) request.body).path(), state);
            case OpCode.GET_ALL_CHILDREN_NUMBER -> {
                String path = ((PathRequest) request.body).path();
                readable(path, state);
                yield new IntResponse(tree.descendantCount(path));
            }
            case OpCode.GET_EPHEMERALS -> new StringListResponse(ephemerals(((PathRequest) request.body).path(),
                    state.sessionId));
            case OpCode.SYNC -> new CreateResponse(((PathRequest) request.body).path());
            case OpCode.WHO_AM_I -> whoAmI(state);
            case OpCode.MULTI_READ -> multiRead((MultiRequest) request.body, connection, request);
            case OpCode.ADD_WATCH -> addWatch((PathTypeRequest) request.body, connection);
            case OpCode.CHECK_WATCHES, OpCode.REMOVE_WATCHES -> {
                checkOrRemoveWatch(request.type, (PathTypeRequest) request.body, connection);
                yield null;
            }
            case OpCode.SET_WATCHES, OpCode.SET_WATCHES2 -> {
                setWatches((SetWatchesRequest) request.body, connection);
                yield null;
            }
            default -> throw new KeeperError(ErrorCode.UNIMPLEMENTED);
        };
    }

    private Record exists(PathWatchRequest req, Connection connection) throws KeeperError {
        String path = WriteValidator.notNull(req.path());
        if (path.indexOf('\0') >= 0) {
            throw new KeeperError(ErrorCode.BAD_ARGUMENTS);
        }
        DataNode node = tree.get(path);
        if (node != null && !permitted(node.acl(), Perms.READ, connection.state())) {
            throw new KeeperError(ErrorCode.NO_AUTH);
        }
        if (req.watch()) {
            watches.add(path, WatchKind.DATA, connection);
        }
        if (node == null) {
            throw new KeeperError(ErrorCode.NO_NODE);
        }
        return new StatResponse(node.stat());
    }

    private GetDataResponse getData(PathWatchRequest req, Connection connection, boolean mayWatch)
            throws KeeperError {
        DataNode node = readable(req.path(), connection.state());
        if (mayWatch && req.watch()) {
            watches.add(req.path(), WatchKind.DATA, connection);
        }
        return new GetDataResponse(node.data(), node.stat());
    }

    /** The children's names; refused once their list alone would not fit in a reply. */
    private List<String> children(PathWatchRequest req, Connection connection, boolean mayWatch, Request request)
            throws KeeperError {
        DataNode node = readable(req.path(), connection.state());
        if (mayWatch && req.watch()) {
            watches.add(req.path(), WatchKind.CHILD, connection);
        }
        List<String> children = node.children();
        if (children instanceof PreEncodedStrings encoded) { // the tree's lists: already in reply form
            bounded(4 + encoded.juteLength(), request);
            return children;
        }
        long bytes = 4;
        for (String child : children) {
            bytes = bounded(bytes + 4 + ByteBufUtil.utf8Bytes(child), request);
        }
        return children;
    }

    private Record getAcl(String path, ConnectionState state) throws KeeperError {
        DataNode node = existing(path);
        boolean admin = permitted(node.acl(), Perms.ADMIN, state);
        if (!admin && !permitted(node.acl(), Perms.READ, state)) {
            throw new KeeperError(ErrorCode.NO_AUTH);
        }
        List<Acl> acl = admin ? node.acl() : AclValidator.redactForReader(node.acl());
        return new GetAclResponse(acl, node.stat());
    }

    private List<String> ephemerals(String prefix, long sessionId) {
        List<String> result = new ArrayList<>();
        boolean all = prefix == null || prefix.isEmpty() || prefix.equals("/");
        for (String path : tree.ephemeralsOf(sessionId)) {
            if (all || path.startsWith(prefix)) {
                result.add(path);
            }
        }
        return result;
    }

    private Record whoAmI(ConnectionState state) {
        List<ClientInfo> infos = new ArrayList<>();
        for (Id id : state.authIds()) {
            String user = id.id();
            if (id.scheme().equals("digest")) {
                int colon = user.indexOf(':');
                user = colon < 0 ? user : user.substring(0, colon);
            }
            infos.add(new ClientInfo(id.scheme(), user));
        }
        return new WhoAmIResponse(infos);
    }

    private Record multiRead(MultiRequest multi, Connection connection, Request request) throws KeeperError {
        for (MultiOp op : multi.ops()) {
            if (op.type() != OpCode.GET_DATA && op.type() != OpCode.GET_CHILDREN) {
                throw new KeeperError(ErrorCode.MARSHALLING_ERROR);
            }
        }
        List<MultiResult> results = new ArrayList<>(multi.ops().size());
        long bytes = MULTI_HEADER; // the closing header
        for (MultiOp op : multi.ops()) {
            PathWatchRequest req = (PathWatchRequest) op.request();
            MultiResult result;
            try {
                Record body = op.type() == OpCode.GET_DATA ? getData(req, connection, false)
                        : new StringListResponse(children(req, connection, false, request));
                result = new MultiResult(op.type(), ErrorCode.OK, body);
            } catch (KeeperError e) {
                if (e.code == ErrorCode.MARSHALLING_ERROR) {
                    throw e; // this read alone is too large: so is the whole reply
                }
                result = MultiResult.error(e.code);
            }
            bytes = bounded(bytes + MULTI_HEADER + JuteOutput.sizeOf(result.body()), request);
            results.add(result);
        }
        return new MultiResponse(results);
    }

    private Record addWatch(PathTypeRequest req, Connection connection) throws KeeperError {
        WatchKind kind = switch (req.type()) {
            case AddWatchMode.PERSISTENT -> WatchKind.PERSISTENT;
            case AddWatchMode.PERSISTENT_RECURSIVE -> WatchKind.RECURSIVE;
            default -> throw new KeeperError(ErrorCode.MARSHALLING_ERROR);
        };
        watches.add(req.path(), kind, connection);
        return new IntResponse(0);
    }

    private void checkOrRemoveWatch(int op, PathTypeRequest req, Connection connection) throws KeeperError {
        if (!WatcherType.isValid(req.type())) {
            throw new KeeperError(ErrorCode.MARSHALLING_ERROR);
        }
        int kinds = WatchKind.bitsFor(req.type());
        boolean found = op == OpCode.CHECK_WATCHES ? watches.has(req.path(), kinds, connection)
                : watches.remove(req.path(), kinds, connection);
        if (!found) {
            throw new KeeperError(ErrorCode.NO_WATCHER);
        }
    }

    /** Re-arms watches after a reconnect; changes the client missed are reported now, with zxid -1. */
    private void setWatches(SetWatchesRequest req, Connection connection) {
        long relativeZxid = req.relativeZxid();
        rearm(req.dataWatches(), WatchKind.DATA, EventType.NODE_DATA_CHANGED, DataNode::mzxid, relativeZxid,
                connection);
        for (String path : req.existWatches()) {
            if (tree.get(path) == null) {
                watches.add(path, WatchKind.DATA, connection);
            } else {
                notifyNow(connection, EventType.NODE_CREATED, path);
            }
        }
        rearm(req.childWatches(), WatchKind.CHILD, EventType.NODE_CHILDREN_CHANGED, DataNode::pzxid, relativeZxid,
                connection);
        for (String path : req.persistentWatches()) {
            watches.add(path, WatchKind.PERSISTENT, connection);
        }
        for (String path : req.persistentRecursiveWatches()) {
            watches.add(path, WatchKind.RECURSIVE, connection);
        }
    }

    /** A deleted node, or one changed after relativeZxid, is reported now; otherwise the watch is set again. */
    private void rearm(List<String> paths, WatchKind kind, int changedEvent, ToLongFunction<DataNode> changedAt,
                       long relativeZxid, Connection connection) {
        for (String path : paths) {
            DataNode node = tree.get(path);
            if (node == null) {
                notifyNow(connection, EventType.NODE_DELETED, path);
            } else if (changedAt.applyAsLong(node) > relativeZxid) {
                notifyNow(connection, changedEvent, path);
            } else {
                watches.add(path, kind, connection);
            }
        }
    }

    private void notifyNow(Connection connection, int eventType, String path) {
        outbox.send(connection, new Outbound.Notification(-1,
                new WatcherEvent(eventType, KeeperState.SYNC_CONNECTED, path)));
    }

    private DataNode existing(String path) throws KeeperError {
        DataNode node = tree.get(WriteValidator.notNull(path));
        if (node == null) {
            throw new KeeperError(ErrorCode.NO_NODE);
        }
        return node;
    }

    private DataNode readable(String path, ConnectionState state) throws KeeperError {
        DataNode node = existing(path);
        if (!permitted(node.acl(), Perms.READ, state)) {
            throw new KeeperError(ErrorCode.NO_AUTH);
        }
        return node;
    }

    private boolean permitted(List<Acl> acl, int perm, ConnectionState state) {
        return acls.permits(acl, perm, state.authIds());
    }
}
