package io.corral.server.sequencer;

import io.corral.protocol.ErrorCode;
import io.corral.protocol.EventType;
import io.corral.protocol.JuteOutput;
import io.corral.protocol.Perms;
import io.corral.protocol.StreamChange;
import io.corral.protocol.StreamFrame;
import io.corral.protocol.SubscribeRequest;
import io.corral.protocol.SubscribeResponse;
import io.corral.protocol.UnsubscribeRequest;
import io.corral.server.auth.AccessControl;
import io.corral.server.stream.StreamHub;
import io.corral.server.stream.StreamSink;
import io.corral.server.tree.DataNode;
import io.corral.server.tree.DataTree;
import io.corral.server.tree.PathValidator;
import io.corral.server.txn.EphemeralOwner;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Corral's subscribe and unsubscribe, on the sequencer thread: validates, answers, and hands the subscription to
 * the {@link StreamHub}. The reply (and the snapshot a mirror asks for) is queued on the connection before the hub
 * hears of the subscription, so the client always has it before the stream's first frame.
 */
final class StreamRequests {
    private final DataTree tree;
    private final Outbox outbox;
    private final StreamHub hub;
    private final AccessControl acls;
    private final int maxFrame;

    StreamRequests(DataTree tree, Outbox outbox, StreamHub hub, AccessControl acls, int maxFrame) {
        this.tree = tree;
        this.outbox = outbox;
        this.hub = hub;
        this.acls = acls;
        this.maxFrame = maxFrame;
    }

    void subscribe(Request request) {
        SubscribeRequest req = (SubscribeRequest) request.body;
        Connection connection = request.connection;
        StreamSink sink = connection.streamSink();
        long applied = tree.lastAppliedZxid();
        long from = req.fromZxid() == SubscribeRequest.NOW ? applied : req.fromZxid();
        int err = ErrorCode.OK;
        if (sink == null) {
            err = ErrorCode.UNIMPLEMENTED;
        } else if (!PathValidator.isValid(req.path()) || from < 0
                || req.withSnapshot() && req.fromZxid() != SubscribeRequest.NOW) {
            err = ErrorCode.BAD_ARGUMENTS;
        } else if (!readable(req.path(), connection)) {
            err = ErrorCode.NO_AUTH;
        } else if (!hub.retains(from, applied)) {
            err = ErrorCode.HISTORY_COMPACTED;
        } else if (!hub.hasRoom()) {
            err = ErrorCode.THROTTLED_OP;
        }
        StreamFrame snapshot = null;
        if (err == ErrorCode.OK && req.withSnapshot()) {
            snapshot = snapshot(req, applied);
            if (snapshot == null) {
                err = ErrorCode.BAD_ARGUMENTS; // larger than one frame may be
            }
        }
        if (err != ErrorCode.OK) {
            outbox.reply(request, applied, err, null);
            return;
        }
        outbox.reply(request, applied, ErrorCode.OK, new SubscribeResponse(from));
        if (snapshot != null) {
            outbox.send(connection, new Outbound.Stream(snapshot));
        }
        connection.state().subscribed = true;
        hub.subscribe(sink, req.subscription(), req.path(), req.recursive(), req.withData(), req.withStat(), from);
    }

    void unsubscribe(Request request) {
        UnsubscribeRequest req = (UnsubscribeRequest) request.body;
        StreamSink sink = request.connection.streamSink();
        if (sink == null || !hub.hasRoom()) {
            outbox.reply(request, tree.lastAppliedZxid(), sink == null ? ErrorCode.UNIMPLEMENTED
                    : ErrorCode.THROTTLED_OP, null);
            return;
        }
        hub.unsubscribe(sink, req.subscription());
        outbox.reply(request, tree.lastAppliedZxid(), ErrorCode.OK, null);
    }

    /** The connection's subscriptions end with it. */
    void disconnected(Connection connection) {
        StreamSink sink = connection.streamSink();
        if (sink != null && connection.state().subscribed) {
            hub.closed(sink);
        }
    }

    private boolean readable(String path, Connection connection) {
        DataNode node = tree.get(path);
        return node == null || acls.permits(node.acl(), Perms.READ, connection.state().authIds());
    }

    /**
     * The subtree (or the node) as it is now, parents before children, as one frame at the applied zxid; null when
     * it would not fit in a frame.
     */
    private StreamFrame snapshot(SubscribeRequest req, long applied) {
        List<StreamChange> nodes = new ArrayList<>();
        StreamFrame frame = new StreamFrame(req.subscription(), 0, applied, 0, true, nodes);
        long size = JuteOutput.sizeOf(frame);
        ArrayDeque<String> todo = new ArrayDeque<>();
        todo.push(req.path());
        while (!todo.isEmpty()) {
            String path = todo.pop();
            DataNode node = tree.get(path);
            if (node == null) {
                continue;
            }
            StreamChange change = new StreamChange(EventType.NODE_CREATED, path, node.version(),
                    EphemeralOwner.visible(node.ephemeralOwner()), req.withData() ? node.data() : null,
                    req.withStat() ? node.stat() : null);
            size += JuteOutput.sizeOf(change);
            if (size > maxFrame) {
                return null;
            }
            nodes.add(change);
            if (req.recursive()) {
                String prefix = path.equals("/") ? "/" : path + "/";
                List<String> children = new ArrayList<>(node.children());
                children.sort(null);
                for (int i = children.size() - 1; i >= 0; i--) {
                    todo.push(prefix + children.get(i));
                }
            }
        }
        return frame;
    }
}
