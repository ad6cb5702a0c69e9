package io.corral.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.corral.protocol.Acl;
import io.corral.protocol.AddWatchMode;
import io.corral.protocol.ClientInfo;
import io.corral.protocol.CreateMode;
import io.corral.protocol.CreateRequest;
import io.corral.protocol.DeleteRequest;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.OpCode;
import io.corral.protocol.PathRequest;
import io.corral.protocol.PathTypeRequest;
import io.corral.protocol.PathWatchRequest;
import io.corral.protocol.Record;
import io.corral.protocol.SetAclRequest;
import io.corral.protocol.SetDataRequest;
import io.corral.protocol.Stat;
import io.corral.protocol.WatcherType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A reactive ZooKeeper-protocol client: one session, one TCP connection at a time, every operation a lazy
 * {@link Mono} (nothing is sent before subscription). Requests are pipelined: many may be in flight, and the replies
 * come back in the order the requests were subscribed. At most {@link ClientOptions#maxPendingRequests()} are in
 * flight; later ones wait for room.
 *
 * <p>Paths are client paths: the connect string's chroot is added on the way out and removed on the way back.
 * Server errors arrive as {@link KeeperErrorException}; a request in flight when the connection breaks fails with
 * CONNECTIONLOSS (it may or may not have been applied), requests issued while reconnecting wait for the new
 * connection. Invalid paths fail with {@link IllegalArgumentException} before anything is sent.
 *
 * <p>Callbacks run on the client's threads (Netty event loops, timers); do not block in them.
 */
public final class CorralClient {
    /** {@code fromZxid} of {@link #watch(String, WatchMode, long)}: the changes after the server's current state. */
    public static final long NOW = -1;
    private final ClientCore core;
    /** Where the ensemble's configuration is (never under a chroot). */
    private static final String CONFIG_NODE = "/zookeeper/config";
    private final Chroot chroot;
    private final Replies replies;
    private final ClientOptions options;

    private CorralClient(ClientCore core) {
        this.core = core;
        this.chroot = core.chroot;
        this.replies = new Replies(chroot);
        this.options = core.options;
    }

    /**
     * Connects to one of the servers of {@code connectString} ({@code host:port[,host:port...][/chroot]}) and
     * establishes a session. Completes once the session is established; fails with CONNECTIONLOSS when no server
     * answered within {@link ClientOptions#connectionTimeout()}.
     */
    public static Mono<CorralClient> connect(String connectString, ClientOptions options) {
        Objects.requireNonNull(options, "options");
        Mono<CorralClient> connect = Mono.defer(() -> {
            ClientCore core = new ClientCore(ConnectString.parse(connectString), options);
            CorralClient client = new CorralClient(core);
            return Mono.<CorralClient>create(sink -> {
                sink.onCancel(() -> core.close().subscribe());
                core.start(client, sink);
            }).doOnNext(CorralClient::followConfigIfAsked);
        });
        // TLS reads the key and trust store files: never on the subscriber's thread, which may be an event loop
        return options.tls() == null ? connect : connect.subscribeOn(Schedulers.boundedElastic());
    }

    private void followConfigIfAsked() {
        if (options.followEnsembleConfig()) {
            ConfigFollower.follow(this, core::updateServerList); // ends with the session
        }
    }

    /** Resumes an existing session (tests: a second connection that takes a session over). */
    static Mono<CorralClient> resume(String connectString, ClientOptions options, long sessionId, byte[] passwd) {
        return Mono.defer(() -> {
            ClientCore core = new ClientCore(ConnectString.parse(connectString), options, sessionId, passwd);
            CorralClient client = new CorralClient(core);
            return Mono.<CorralClient>create(sink -> {
                sink.onCancel(() -> core.close().subscribe());
                core.start(client, sink);
            });
        });
    }

    /** Test probe: {requests in flight, requests waiting}. */
    Mono<int[]> requestCounts() {
        return core.requestCounts();
    }

    /** Test probe: the session password. */
    Mono<byte[]> password() {
        return Mono.create(sink -> core.actor.execute(() -> sink.success(core.password())));
    }

    /** Connects with the default options, TLS included when the system properties ask for it. */
    public static Mono<CorralClient> connect(String connectString) {
        return Mono.defer(() -> connect(connectString, ClientOptions.builder().build()));
    }

    // ================= session =================

    /** The session's states, starting with the current one; completes after EXPIRED or CLOSED. */
    public Flux<ConnectionState> states() {
        return core.states();
    }

    /** The current state. */
    public ConnectionState state() {
        return core.state();
    }

    public long sessionId() {
        return core.sessionId();
    }

    /** The session timeout the server granted. */
    public Duration sessionTimeout() {
        return core.negotiatedTimeout();
    }

    /**
     * Replaces the servers this client may connect to (ZooKeeper's {@code updateServerList}), for an ensemble whose
     * membership changed. The new list is shuffled and, as ZooKeeper's client decides it, this client may move to
     * another server so that the servers end up with about the same number of clients: when servers were added,
     * it moves to one of them with probability 1 - old/new; when its server is no longer listed, it moves; when
     * its server stays and the list did not grow, it stays. A move keeps the session and its watches: the requests
     * in flight are answered first, then the connection is closed and the session goes on on the server drawn
     * (SUSPENDED, then RECONNECTED). Returns at once; the change is applied on the client's own thread.
     *
     * @param connectString {@code host:port[,host:port...]}, with the current chroot or none
     * @throws IllegalArgumentException if it is empty or malformed, or names another chroot
     */
    public void updateServerList(String connectString) {
        ConnectString parsed = ConnectString.parse(connectString);
        if (!parsed.chroot().equals(Chroot.NONE) && !parsed.chroot().equals(chroot)) {
            throw new IllegalArgumentException("the chroot " + parsed.chroot().prefix() + " is not this client's ("
                    + (chroot.equals(Chroot.NONE) ? "none" : chroot.prefix()) + ")");
        }
        core.updateServerList(parsed.hosts());
    }

    /** Closes the session (closeSession, then the socket) and ends every watch stream. */
    public Mono<Void> close() {
        return core.close();
    }

    /** Adds credentials to the session; they are sent again after every reconnect. */
    public Mono<Void> addAuth(String scheme, byte[] auth) {
        return Mono.defer(() -> core.addAuth(new AuthInfo(scheme, auth)));
    }

    public Mono<Void> addAuth(AuthInfo info) {
        return Mono.defer(() -> core.addAuth(info));
    }

    /** The identities the server associates with this connection. */
    public Mono<List<ClientInfo>> whoAmI() {
        return call(OpCode.WHO_AM_I, null, null, replies.whoAmI(), null);
    }

    // ================= writes =================

    /** Creates a persistent node with an open ACL. */
    public Mono<Created> create(String path, byte[] data) {
        return create(path, data, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    public Mono<Created> create(String path, byte[] data, CreateMode mode) {
        return create(path, data, Acl.OPEN_ACL_UNSAFE, mode);
    }

    /** Creates a node in any mode but the TTL ones ({@link #createTtl}). Containers use createContainer (19). */
    public Mono<Created> create(String path, byte[] data, List<Acl> acl, CreateMode mode) {
        if (mode.isTtl()) {
            return Mono.error(new IllegalArgumentException(mode + " needs a TTL: use createTtl"));
        }
        int op = mode.isContainer() ? OpCode.CREATE_CONTAINER : OpCode.CREATE2;
        return Mono.defer(() -> {
            PathValidation.validate(path, mode.isSequential());
            return call(op, path, new CreateRequest(chroot.toServer(path), data, acl, mode.flag(), -1),
                    replies.created(), null);
        });
    }

    /** Creates a node with a time to live (createTTL, 21); mode must be one of the TTL modes. */
    public Mono<Created> createTtl(String path, byte[] data, List<Acl> acl, CreateMode mode, Duration ttl) {
        if (!mode.isTtl()) {
            return Mono.error(new IllegalArgumentException(mode + " is not a TTL mode"));
        }
        return Mono.defer(() -> {
            PathValidation.validate(path, mode.isSequential());
            return call(OpCode.CREATE_TTL, path,
                    new CreateRequest(chroot.toServer(path), data, acl, mode.flag(), ttl.toMillis()),
                    replies.created(), null);
        });
    }

    /** Deletes a node if its version matches ({@code -1}: any version). */
    public Mono<Void> delete(String path, int version) {
        return Mono.defer(() -> {
            PathValidation.validate(path);
            return call(OpCode.DELETE, path, new DeleteRequest(chroot.toServer(path), version), ReplyDecoder.NONE,
                    null);
        }).then();
    }

    public Mono<Void> delete(String path) {
        return delete(path, -1);
    }

    /** Sets the data if the version matches ({@code -1}: any version); returns the new Stat. */
    public Mono<Stat> setData(String path, byte[] data, int version) {
        return Mono.defer(() -> {
            PathValidation.validate(path);
            return call(OpCode.SET_DATA, path, new SetDataRequest(chroot.toServer(path), data, version),
                    replies.stat(), null);
        });
    }

    public Mono<Stat> setData(String path, byte[] data) {
        return setData(path, data, -1);
    }

    public Mono<Stat> setACL(String path, List<Acl> acl, int version) {
        return Mono.defer(() -> {
            PathValidation.validate(path);
            return call(OpCode.SET_ACL, path, new SetAclRequest(chroot.toServer(path), acl, version), replies.stat(),
                    null);
        });
    }

    /** A transaction (multi): operations applied atomically, all or none. */
    public Transaction transaction() {
        return new Transaction(this, chroot, replies);
    }

    // ================= reads =================

    /** A multiRead: getData and getChildren of several nodes in one request, with a result (or error) per read. */
    public ReadTransaction multiRead() {
        return new ReadTransaction(this, chroot, replies);
    }

    /** The node's Stat, or empty when the node does not exist. */
    public Mono<Stat> exists(String path) {
        return this.<Optional<Stat>>read(OpCode.EXISTS, path, replies.exists(), null).flatMap(Mono::justOrEmpty);
    }

    public Mono<NodeData> getData(String path) {
        return read(OpCode.GET_DATA, path, replies.data(), null);
    }

    public Mono<Children> getChildren(String path) {
        return read(OpCode.GET_CHILDREN2, path, replies.children(), null);
    }

    public Mono<NodeAcl> getACL(String path) {
        return Mono.defer(() -> {
            PathValidation.validate(path);
            return call(OpCode.GET_ACL, path, new PathRequest(chroot.toServer(path)), replies.acl(), null);
        });
    }

    /** The number of descendants at any depth. */
    public Mono<Integer> getAllChildrenNumber(String path) {
        return Mono.defer(() -> {
            PathValidation.validate(path);
            return call(OpCode.GET_ALL_CHILDREN_NUMBER, path, new PathRequest(chroot.toServer(path)),
                    replies.count(), null);
        });
    }

    /** The paths of this session's ephemeral nodes whose path starts with {@code prefix} (a plain string match). */
    public Mono<List<String>> getEphemerals(String prefix) {
        return Mono.defer(() -> call(OpCode.GET_EPHEMERALS, prefix,
                new PathRequest(chroot.toServer(prefix.isEmpty() ? "/" : prefix)), replies.ephemerals(), null));
    }

    public Mono<List<String>> getEphemerals() {
        return getEphemerals("/");
    }

    /**
     * Waits until the server this client is connected to has caught up with the leader (for this path). On a Corral
     * ensemble the leader first confirms with a quorum that it still leads (a read index), so a read issued after
     * the sync completes is linearizable; on Apache ZooKeeper it is not (a deposed leader may answer a sync).
     */
    public Mono<Void> sync(String path) {
        return Mono.defer(() -> {
            PathValidation.validate(path);
            return call(OpCode.SYNC, path, new PathRequest(chroot.toServer(path)), ReplyDecoder.NONE, null);
        }).then();
    }

    /**
     * A linearizable getData on a Corral server or ensemble: a sync, then the read once the sync is answered. It sees
     * every write that completed, on any server, before it was subscribed. (Against Apache ZooKeeper it is sync +
     * read, which ZooKeeper does not guarantee to be linearizable.)
     */
    public Mono<NodeData> getDataLinearizable(String path) {
        return sync(path).then(getData(path));
    }

    /**
     * The ensemble's configuration, the data of {@code /zookeeper/config}, whatever the connect string's chroot (as
     * ZooKeeper's {@code getConfig}): {@code server.N} lines and {@code version=}, or empty on a standalone server.
     */
    public Mono<NodeData> getConfig() {
        return call(OpCode.GET_DATA, CONFIG_NODE, new PathWatchRequest(CONFIG_NODE, false), replies.data(), null);
    }

    /**
     * Changes the ensemble's membership (ZooKeeperAdmin's {@code reconfigure}): {@code joiningServers} and
     * {@code leavingServers} (comma-separated {@code server.N=...} lines and ids) for an incremental change, or
     * {@code newMembers} for the whole membership; {@code fromConfig} the version to change from (-1: any). Emits the
     * new configuration's data and Stat. Only the super user may (unless the servers skip ACLs).
     */
    public Mono<NodeData> reconfig(String joiningServers, String leavingServers, String newMembers, long fromConfig) {
        return call(OpCode.RECONFIG, "", // ZooKeeper's reconfig errors have the path ""
                new io.corral.protocol.ReconfigRequest(joiningServers, leavingServers, newMembers, fromConfig),
                replies.data(), null);
    }

    /** {@link #getConfig()} leaving a one-shot data watch on the configuration. */
    public Mono<Watched<NodeData>> getConfigAndWatch() {
        return Mono.defer(() -> {
            OneShotWatch watch = new OneShotWatch(CONFIG_NODE);
            return this.<NodeData>call(OpCode.GET_DATA, CONFIG_NODE, new PathWatchRequest(CONFIG_NODE, true),
                    replies.data(), watch).map(v -> new Watched<>(v, watch.mono()));
        });
    }

    // ================= one-shot watches =================

    /** getData leaving a one-shot data watch. */
    public Mono<Watched<NodeData>> getDataAndWatch(String path) {
        return watchedRead(OpCode.GET_DATA, path, replies.data());
    }

    /** exists leaving a one-shot watch: a data watch if the node exists, an exist watch (fires on create) if not. */
    public Mono<Watched<Optional<Stat>>> existsAndWatch(String path) {
        return watchedRead(OpCode.EXISTS, path, replies.exists());
    }

    /** getChildren leaving a one-shot child watch. */
    public Mono<Watched<Children>> getChildrenAndWatch(String path) {
        return watchedRead(OpCode.GET_CHILDREN2, path, replies.children());
    }

    private <T> Mono<Watched<T>> watchedRead(int op, String path, ReplyDecoder decoder) {
        return Mono.defer(() -> {
            PathValidation.validate(path);
            OneShotWatch watch = new OneShotWatch(chroot.toServer(path));
            return this.<T>read(op, path, decoder, watch).map(v -> new Watched<>(v, watch.mono()));
        });
    }

    private <T> Mono<T> read(int op, String path, ReplyDecoder decoder, OneShotWatch watch) {
        return Mono.defer(() -> {
            PathValidation.validate(path);
            return call(op, path, new PathWatchRequest(chroot.toServer(path), watch != null), decoder, watch);
        });
    }

    /**
     * Asks the server to drop this session's watches of {@code watcherType} ({@link WatcherType}) on {@code path};
     * fails with NOWATCHER when it holds none. The client's own side is untouched: cancel the {@link Watched#change()}
     * Monos and {@link #watch} streams concerned, or they come back with the next reconnection.
     */
    public Mono<Void> removeWatches(String path, int watcherType) {
        return Mono.defer(() -> {
            PathValidation.validate(path);
            return call(OpCode.REMOVE_WATCHES, path, new PathTypeRequest(chroot.toServer(path), watcherType),
                    ReplyDecoder.NONE, null);
        }).then();
    }

    // ================= watch streams =================

    /**
     * Every watch notification this client receives from now on, one per notification frame, with its zxid; for a
     * shell-style "default watcher" that reports each change once however many watches it fired. Registers nothing:
     * watches are set by the reads, {@link #watch} and friends. Completes when the session ends; a subscriber that
     * does not keep up misses notifications rather than holding the client back.
     */
    public Flux<Notification> notifications() {
        return core.notifications();
    }

    /**
     * Events about one node, its children, or its whole subtree, from a persistent (recursive for SUBTREE) watch
     * added when the Flux is subscribed and removed when the last subscriber for that path and kind cancels.
     * Requests issued through this client after subscribing are ordered after the watch's registration. Survives
     * reconnects; errors with SESSIONEXPIRED when the session expires; completes when the client is closed.
     *
     * <p>After a reconnect the server re-registers the watch but does not report what changed while the client was
     * away (ZooKeeper's semantics for persistent watches); a subscriber that must not miss a change re-reads the
     * state on {@link ConnectionState#RECONNECTED}.
     *
     * <p>Memory is bounded: at most {@link ClientOptions#watchBufferSize()} events wait for a subscriber that has not
     * requested them; one more ends the stream with {@link WatchBufferOverflowException} (after the waiting events).
     */
    public Flux<WatchEvent> watch(String path, WatchMode mode) {
        return Flux.defer(() -> {
            PathValidation.validate(path);
            WatchBuffer buffer = new WatchBuffer(path, options.watchBufferSize());
            return Flux.<WatchEvent>create(sink -> core.actor.execute(() -> addListener(path, mode, sink, buffer)),
                    FluxSink.OverflowStrategy.BUFFER) // bounded by WatchBuffer, which counts what waits in it
                    .doOnNext(event -> buffer.delivered());
        });
    }

    private void addListener(String path, WatchMode mode, FluxSink<WatchEvent> sink, WatchBuffer buffer) {
        Throwable ended = core.endedWith();
        if (ended != null) {
            if (ended instanceof ClientClosedException) {
                sink.complete();
            } else {
                sink.error(ended);
            }
            return;
        }
        String serverPath = chroot.toServer(path);
        PersistentListener listener = new PersistentListener(serverPath, mode, sink, buffer);
        boolean first = core.watches().addListener(listener);
        int serverMode = mode.recursive() ? AddWatchMode.PERSISTENT_RECURSIVE : AddWatchMode.PERSISTENT;
        sink.onDispose(() -> core.actor.execute(() -> {
            if (core.watches().removeListener(listener) && core.connected()) {
                int type = mode.recursive() ? WatcherType.PERSISTENT_RECURSIVE : WatcherType.PERSISTENT;
                core.sendNow(new Pending(OpCode.REMOVE_WATCHES, path, new PathTypeRequest(serverPath, type),
                        ReplyDecoder.NONE, Pending.Outcome.IGNORE, null));
            }
        }));
        if (first) {
            core.submit(new Pending(OpCode.ADD_WATCH, path, new PathTypeRequest(serverPath, serverMode),
                    ReplyDecoder.NONE, new Pending.Outcome() {
                        @Override
                        public void success(Object value) {
                        }

                        @Override
                        public void error(Throwable error) {
                            if (!KeeperErrorException.hasCode(error, ErrorCode.CONNECTION_LOSS)) {
                                sink.error(error); // a lost connection re-adds it with setWatches2
                            }
                        }
                    }, null));
        }
    }

    /**
     * The successive values of a node, starting with the current one: data and Stat while it exists, a deleted
     * value (see {@link NodeValue#exists()}) while it does not. Re-armed after every change with a one-shot watch
     * set by the same read that fetches the new value, so the last value is never missed (intermediate values
     * may be, when several changes land between two reads). Consecutive identical values are reported once.
     */
    public Flux<NodeValue> watchData(String path) {
        return WatchStreams.data(this, path);
    }

    /**
     * {@link #watchData(String)}, with {@link ValueDelivery#EVERY}: every value the node took, in zxid order, each
     * with its whole Stat (a Corral server's resumable stream of the node, resumed across disconnects and failover
     * without a gap). Against a server that does not offer the streams in its handshake (ZooKeeper; the offer is
     * Corral's trailing field of the ConnectResponse, which ZooKeeper never sends), the same as LATEST: ordinary
     * watches, which may skip intermediate values; no request ZooKeeper does not know is sent. At the retention
     * boundary (HISTORYCOMPACTED, after a long disconnect) the stream starts again with the current value.
     */
    public Flux<NodeValue> watchData(String path, ValueDelivery delivery) {
        return delivery == ValueDelivery.EVERY ? EveryValue.data(this, path) : watchData(path);
    }

    /** The node's successive child lists, starting with the current one (empty, Stat null, while it is missing). */
    public Flux<Children> watchChildren(String path) {
        return WatchStreams.children(this, path);
    }

    /**
     * {@link #watchChildren(String)}, with {@link ValueDelivery#EVERY}: the child list after every child created or
     * deleted, in zxid order, each with the node's whole Stat. On Corral it is a resumable stream of the node's
     * subtree (the subtree's snapshot opens it; changes below the children are read and dropped), falling back as
     * {@link #watchData(String, ValueDelivery)} does, and also when the subtree's snapshot does not fit in one frame
     * (jute.maxbuffer).
     */
    public Flux<Children> watchChildren(String path, ValueDelivery delivery) {
        return delivery == ValueDelivery.EVERY ? EveryValue.children(this, path) : watchChildren(path);
    }

    /**
     * Every committed change to a node, its children or its subtree after {@code fromZxid}
     * ({@link #NOW}: after the last change the server applied when the stream starts), each exactly once and in
     * zxid order, including what changed while the client was disconnected or moving to another server: the
     * stream subscribes again after the last zxid it emitted on every connection the session gets. A Corral server
     * only (Corral's resumable streams, served from its txn log); a ZooKeeper server fails it with UNIMPLEMENTED.
     *
     * <p>NODE reports every change of the node itself: its creation, data, ACL, child list and deletion; CHILDREN
     * only its creation, deletion and child list; SUBTREE every change of the node and of each descendant. Ends with
     * HISTORYCOMPACTED when the server no longer retains the changes after the zxid it must resume from (start again
     * from a fresh read), with SESSIONEXPIRED when the session expires; completes when the client is closed. A
     * subscriber that lets
     * {@value ResumableWatch#PAUSE_AT} changes wait pauses the stream on the server, which resumes it when they are
     * taken: memory stays bounded and nothing is lost.
     */
    public Flux<Change> watch(String path, WatchMode mode, long fromZxid) {
        return resumable(path, mode, fromZxid, false);
    }

    /**
     * A subtree's contents followed by its changes: first every node under {@code path} (itself included) as it
     * is at one zxid, parents before children ({@link Change#snapshot()} set, all with that zxid), then every change
     * after it, as {@link #watch(String, WatchMode, long)} with SUBTREE, data included. Applying them in order keeps
     * an exact copy of the subtree as of the last zxid emitted. The snapshot is one frame: a subtree larger than
     * jute.maxbuffer fails with BADARGUMENTS.
     */
    public Flux<Change> mirror(String path) {
        return resumable(path, WatchMode.SUBTREE, NOW, true);
    }

    private Flux<Change> resumable(String path, WatchMode mode, long fromZxid, boolean snapshot) {
        return resumable(path, mode, fromZxid, snapshot, false);
    }

    /** Whether the current connection's server is known not to serve resumable streams (it is not Corral). */
    boolean streamsUnsupportedHere() {
        return core.streamsUnsupportedHere();
    }

    /** With markSnapshotEnd, a {@link Change#isSnapshotEnd()} change follows the snapshot's nodes. */
    Flux<Change> resumable(String path, WatchMode mode, long fromZxid, boolean snapshot, boolean markSnapshotEnd) {
        return Flux.defer(() -> {
            PathValidation.validate(path);
            if (fromZxid < NOW) {
                throw new IllegalArgumentException("fromZxid " + fromZxid + " is neither a zxid nor NOW");
            }
            ResumableWatch[] watch = new ResumableWatch[1];
            return Flux.<Change>create(sink -> {
                watch[0] = new ResumableWatch(core, path, mode, fromZxid, true, snapshot, markSnapshotEnd, sink);
                core.actor.execute(watch[0]::start);
            }, FluxSink.OverflowStrategy.BUFFER) // bounded: ResumableWatch pauses the server past PAUSE_AT
                    .doOnNext(change -> watch[0].delivered());
        });
    }

    // ================= plumbing =================

    /** Sends a request and maps its reply; subscription = submission, cancellation forgets the reply. */
    @SuppressWarnings("unchecked")
    <T> Mono<T> call(int op, String path, Record body, ReplyDecoder decoder, OneShotWatch watch) {
        Mono<Object> mono = Mono.create(sink -> {
            Pending p = core.pending(op, path, body, decoder, sink, watch);
            sink.onCancel(() -> core.actor.execute(() -> core.cancel(p)));
            core.actor.execute(() -> core.submit(p));
        });
        Duration timeout = options.requestTimeout();
        if (timeout != null) {
            mono = mono.timeout(timeout, Mono.error(() -> new KeeperErrorException(ErrorCode.REQUEST_TIMEOUT, path,
                    "no reply within " + timeout)));
        }
        return (Mono<T>) mono;
    }

    /** UTF-8 bytes, for convenience. */
    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
