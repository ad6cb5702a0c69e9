package io.corral.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.corral.protocol.Acl;
import io.corral.protocol.CheckVersionRequest;
import io.corral.protocol.CreateMode;
import io.corral.protocol.CreateRequest;
import io.corral.protocol.DeleteRequest;
import io.corral.protocol.MultiOp;
import io.corral.protocol.MultiRequest;
import io.corral.protocol.OpCode;
import io.corral.protocol.SetDataRequest;
import reactor.core.publisher.Mono;

/**
 * Builds a multi: operations applied atomically in one transaction. {@link #commit()} sends it; it succeeds with one
 * {@link OpResult} per operation or fails with {@link TransactionFailedException}. Not thread-safe; a builder is meant
 * to be filled and committed by one caller.
 */
public final class Transaction {
    private final CorralClient client;
    private final Chroot chroot;
    private final Replies replies;
    private final List<MultiOp> ops = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();

    Transaction(CorralClient client, Chroot chroot, Replies replies) {
        this.client = client;
        this.chroot = chroot;
        this.replies = replies;
    }

    public Transaction create(String path, byte[] data) {
        return create(path, data, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    public Transaction create(String path, byte[] data, List<Acl> acl, CreateMode mode) {
        if (mode.isTtl()) {
            throw new IllegalArgumentException(mode + " needs a TTL: use createTtl");
        }
        PathValidation.validate(path, mode.isSequential());
        int type = mode.isContainer() ? OpCode.CREATE_CONTAINER : OpCode.CREATE2;
        return add(type, path, new CreateRequest(chroot.toServer(path), data, acl, mode.flag(), -1));
    }

    public Transaction createTtl(String path, byte[] data, List<Acl> acl, CreateMode mode, Duration ttl) {
        if (!mode.isTtl()) {
            throw new IllegalArgumentException(mode + " is not a TTL mode");
        }
        PathValidation.validate(path, mode.isSequential());
        return add(OpCode.CREATE_TTL, path,
                new CreateRequest(chroot.toServer(path), data, acl, mode.flag(), ttl.toMillis()));
    }

    public Transaction delete(String path, int version) {
        PathValidation.validate(path);
        return add(OpCode.DELETE, path, new DeleteRequest(chroot.toServer(path), version));
    }

    public Transaction setData(String path, byte[] data, int version) {
        PathValidation.validate(path);
        return add(OpCode.SET_DATA, path, new SetDataRequest(chroot.toServer(path), data, version));
    }

    /** Fails the transaction unless the node's version is {@code version}. */
    public Transaction check(String path, int version) {
        PathValidation.validate(path);
        return add(OpCode.CHECK, path, new CheckVersionRequest(chroot.toServer(path), version));
    }

    private Transaction add(int type, String path, io.corral.protocol.Record request) {
        ops.add(new MultiOp(type, request));
        paths.add(path);
        return this;
    }

    /** Sends the transaction (lazily, on subscription; each subscription sends it again). */
    public Mono<List<OpResult>> commit() {
        List<MultiOp> snapshot = List.copyOf(ops);
        List<String> snapshotPaths = List.copyOf(paths);
        return Mono.defer(() -> client.call(OpCode.MULTI, null, new MultiRequest(snapshot),
                replies.multi(snapshotPaths), null));
    }
}
