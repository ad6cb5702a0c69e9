package io.corral.client;

import io.corral.protocol.ErrorCode;
import io.corral.protocol.EventType;
import io.corral.protocol.OpCode;
import io.corral.protocol.Stat;
import io.corral.protocol.StreamFrame;
import io.corral.protocol.SubscribeRequest;
import io.corral.protocol.SubscribeResponse;
import io.corral.protocol.UnsubscribeRequest;
import reactor.core.Disposable;
import reactor.core.publisher.FluxSink;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One resumable watch stream on the client: subscribes on every connection the session gets, each time after the
 * last zxid it delivered, so that the changes it emits have no gap and no repeat across disconnects and failover.
 * Also its own flow control: when its subscriber lets {@link #PAUSE_AT} changes wait, it unsubscribes, and it
 * subscribes again from where it stands once they are taken; the server reads its log only as fast as that.
 *
 * <p>Everything here runs on the client's actor, except {@link #delivered()}.
 */
final class ResumableWatch implements StreamFrame.Reader<Change> {
    static final int PAUSE_AT = 4096;
    private static final int RESUME_AT = PAUSE_AT / 4;
    /** A frame list grown past this many changes is not kept for the next frame. */
    private static final int KEPT_FRAME_CAPACITY = 256;

    private final ClientCore core;
    private final String clientPath;
    private final String serverPath;
    private final WatchMode mode;
    private final boolean withData;
    private final FluxSink<Change> sink;
    /** A mirror's: the Stat of each node of its subtree, to complete each change's Stat; null for a watch. */
    private final MirrorStats mirrorStats;
    /** Emit {@link Change#snapshotEnd} after the snapshot (for streams that must know a node is missing). */
    private final boolean markSnapshotEnd;
    private final AtomicInteger waiting = new AtomicInteger();
    /** Every change up to this zxid was emitted; -1 until the first subscription says where the stream starts. */
    private long lastZxid;
    /** Whether the stream still owes its opening snapshot (a mirror, until the snapshot frame arrived). */
    private boolean snapshotDue;
    /** The id of the subscription in force on the current connection, or 0. */
    private int active;
    private boolean paused;
    private boolean ended;
    private Disposable states;
    /** The frame being read: its zxid, time, whether it is a snapshot, its changes so far (the list is reused). */
    private long frameZxid;
    private long frameTime;
    private boolean frameSnapshot;
    private List<Change> frameChanges = new ArrayList<>();
    /** A mirror's: the child delta of each of the frame's changes, for its Stat. */
    private int[] frameDeltas = new int[16];
    /** The last path a change named, on the server and for the client: a stream names the same ones again. */
    private String lastServerPath;
    private String lastClientPath;

    ResumableWatch(ClientCore core, String clientPath, WatchMode mode, long fromZxid, boolean withData,
                   boolean snapshot, boolean markSnapshotEnd, FluxSink<Change> sink) {
        this.core = core;
        this.clientPath = clientPath;
        this.serverPath = core.chroot.toServer(clientPath);
        this.mode = mode;
        this.withData = withData;
        this.lastZxid = fromZxid;
        this.snapshotDue = snapshot;
        this.sink = sink;
        this.mirrorStats = snapshot ? new MirrorStats() : null;
        this.markSnapshotEnd = markSnapshotEnd;
    }

    /** Subscribes on this connection and every later one; on the actor. */
    void start() {
        Throwable ended = core.endedWith();
        if (ended != null) {
            end(ended);
            return;
        }
        sink.onDispose(() -> core.actor.execute(this::cancel));
        if (core.connected()) {
            // now, not on the state's later hop through the actor: a stream from NOW must see every write this
            // client submits after watch() was subscribed to
            subscribe();
        }
        states = core.states().subscribe(state -> core.actor.execute(() -> onState(state)));
    }

    private void onState(ConnectionState state) {
        if (ended) {
            return;
        }
        if (state.isConnected()) {
            if (active == 0 && !paused) {
                subscribe();
            }
        } else if (state == ConnectionState.SUSPENDED) {
            drop(); // the server ended the connection's subscriptions with it
        } else if (state == ConnectionState.EXPIRED) {
            end(new KeeperErrorException(ErrorCode.SESSION_EXPIRED, clientPath));
        } else if (state == ConnectionState.CLOSED) {
            end(null);
        }
    }

    private void subscribe() {
        int id = core.streams().add(this); // the routes hold only the active subscription's id: drop() removes it
        active = id;
        long from = lastZxid < 0 ? SubscribeRequest.NOW : lastZxid;
        SubscribeRequest request = new SubscribeRequest(id, serverPath, mode.recursive(), from, withData,
                snapshotDue, SubscribeRequest.WITH_STAT);
        core.submit(new Pending(OpCode.CORRAL_SUBSCRIBE, clientPath, request,
                (err, in) -> SubscribeResponse.read(in), new Pending.Outcome() {
                    @Override
                    public void success(Object value) {
                        if (id == active && lastZxid < 0 && !snapshotDue) {
                            lastZxid = ((SubscribeResponse) value).startZxid();
                        }
                    }

                    @Override
                    public void error(Throwable error) {
                        if (id != active) {
                            return;
                        }
                        drop();
                        if (!KeeperErrorException.hasCode(error, ErrorCode.CONNECTION_LOSS)) {
                            end(error); // a lost connection subscribes again on the next one
                        }
                    }
                }, null));
    }

    // ---- a frame of the active subscription, decoded as it is read (StreamFrame.Reader, on the actor) ----

    @Override
    public boolean head(int err, long zxid, long time, boolean snapshot, int count) {
        if (ended) {
            return false;
        }
        if (err != ErrorCode.OK) {
            drop();
            end(new KeeperErrorException(err, clientPath, "the stream after zxid 0x"
                    + Long.toHexString(zxid) + " ended"));
            return false;
        }
        if (snapshot) {
            snapshotDue = false;
        } else if (zxid <= lastZxid) {
            return false; // already emitted (the server never repeats one; this keeps the promise if it did)
        }
        frameZxid = zxid;
        frameTime = time;
        frameSnapshot = snapshot;
        frameChanges.clear(); // what a frame that failed to decode left
        return true;
    }

    @Override
    public String expectedPath() {
        return lastServerPath;
    }

    @Override
    public Change decoded(int code, String path, int version, long ephemeralOwner, byte[] data, Stat sent,
                          int childDelta) {
        Change.Type type = Change.Type.fromCode(code);
        if (type == null || !wanted(type)) {
            return null;
        }
        // a mirror's Stat is completed once the whole frame is read (endOfFrame), so a frame that fails to decode
        // changes nothing and is read again whole on the next connection
        Stat stat = mirrorStats == null && code == EventType.NODE_DELETED ? null : sent;
        if (mirrorStats != null) {
            if (frameDeltas.length == frameChanges.size()) {
                frameDeltas = Arrays.copyOf(frameDeltas, frameDeltas.length * 2);
            }
            frameDeltas[frameChanges.size()] = childDelta;
        }
        if (path != lastServerPath) {
            lastServerPath = path;
            lastClientPath = core.chroot.toClient(path);
        }
        Change change = new Change(frameZxid, frameTime, type, lastClientPath, version, ephemeralOwner, data,
                frameSnapshot, stat);
        frameChanges.add(change);
        return change;
    }

    /** Emits the frame's changes, all or (a frame that fails to decode drops its connection) none. */
    @Override
    public void endOfFrame() {
        if (mirrorStats != null) {
            completeStats();
        }
        if (frameSnapshot && markSnapshotEnd) {
            frameChanges.add(Change.snapshotEnd(frameZxid));
        }
        int n = frameChanges.size();
        waiting.addAndGet(n); // before any is emitted: a subscriber may take them at once
        for (int i = 0; i < n; i++) {
            sink.next(frameChanges.get(i));
        }
        if (n > KEPT_FRAME_CAPACITY) {
            frameChanges = new ArrayList<>(); // a snapshot's thousands: not kept for every later frame
        } else {
            frameChanges.clear();
        }
        lastZxid = frameZxid;
        if (waiting.get() >= PAUSE_AT && core.connected()) {
            paused = true;
            unsubscribe();
        }
    }

    /** A mirror's changes with their whole Stat: what the server sent completed by what came before. */
    private void completeStats() {
        for (int i = 0; i < frameChanges.size(); i++) {
            Change c = frameChanges.get(i);
            Stat whole = mirrorStats.complete(c.type().code(), c.path(), c.stat(), frameDeltas[i]);
            if (whole != c.stat()) {
                frameChanges.set(i, new Change(c.zxid(), c.time(), c.type(), c.path(), c.version(),
                        c.ephemeralOwner(), c.data(), c.snapshot(), whole));
            }
        }
        if (frameDeltas.length > KEPT_FRAME_CAPACITY) {
            frameDeltas = new int[16];
        }
    }

    private boolean wanted(Change.Type type) {
        return switch (mode) {
            case NODE, SUBTREE -> true;
            case CHILDREN -> type != Change.Type.NODE_DATA_CHANGED && type != Change.Type.NODE_ACL_CHANGED;
        };
    }

    /** The subscriber took a change (its thread). */
    void delivered() {
        if (waiting.decrementAndGet() == RESUME_AT) {
            core.actor.execute(this::resume);
        }
    }

    private void resume() {
        if (paused && !ended) {
            paused = false;
            if (core.connected()) {
                subscribe();
            } // else the next connection subscribes
        }
    }

    private void unsubscribe() {
        int id = active;
        drop();
        if (id != 0 && core.connected()) {
            core.sendNow(new Pending(OpCode.CORRAL_UNSUBSCRIBE, clientPath, new UnsubscribeRequest(id),
                    ReplyDecoder.NONE, Pending.Outcome.IGNORE, null));
        }
    }

    private void drop() {
        if (active != 0) {
            core.streams().remove(active);
            active = 0;
        }
    }

    private void cancel() {
        if (!ended) {
            ended = true;
            unsubscribe();
            dispose();
        }
    }

    private void end(Throwable error) {
        if (ended) {
            return;
        }
        ended = true;
        drop();
        dispose();
        if (error == null || error instanceof ClientClosedException) {
            sink.complete();
        } else {
            sink.error(error);
        }
    }

    private void dispose() {
        if (states != null) {
            states.dispose();
        }
    }
}
