package io.corral.client;

import java.util.ArrayList;
import java.util.List;

import io.corral.protocol.MultiOp;
import io.corral.protocol.MultiRequest;
import io.corral.protocol.OpCode;
import io.corral.protocol.PathWatchRequest;
import reactor.core.publisher.Mono;

/**
 * Builds a multiRead (opcode 22): several getData / getChildren answered together by one server from one state of
 * its tree. Unlike a {@link Transaction} it is not all-or-nothing: {@link #execute()} succeeds with one
 * {@link ReadResult} per read, in order, a failed read being a {@link ReadResult.Failed}. It fails as a whole only
 * when the request does (CONNECTIONLOSS, SESSIONEXPIRED, ...). No watches are set. Not thread-safe.
 */
public final class ReadTransaction {
    private final CorralClient client;
    private final Chroot chroot;
    private final Replies replies;
    private final List<MultiOp> ops = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();

    ReadTransaction(CorralClient client, Chroot chroot, Replies replies) {
        this.client = client;
        this.chroot = chroot;
        this.replies = replies;
    }

    public ReadTransaction getData(String path) {
        return add(OpCode.GET_DATA, path);
    }

    public ReadTransaction getChildren(String path) {
        return add(OpCode.GET_CHILDREN, path);
    }

    private ReadTransaction add(int type, String path) {
        PathValidation.validate(path);
        ops.add(new MultiOp(type, new PathWatchRequest(chroot.toServer(path), false)));
        paths.add(path);
        return this;
    }

    /** Sends the reads (lazily, on subscription; each subscription sends them again). */
    public Mono<List<ReadResult>> execute() {
        List<MultiOp> snapshot = List.copyOf(ops);
        List<String> snapshotPaths = List.copyOf(paths);
        return Mono.defer(() -> client.call(OpCode.MULTI_READ, null, new MultiRequest(snapshot),
                replies.multiRead(snapshotPaths), null));
    }
}
