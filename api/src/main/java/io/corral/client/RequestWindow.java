package io.corral.client;

import java.util.ArrayDeque;
import java.util.Iterator;

import io.corral.protocol.ErrorCode;
import io.corral.protocol.JuteInput;
import io.corral.protocol.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's requests between the caller and the reply: they wait in order, get consecutive xids as they are
 * sent, and are matched to replies oldest first (a server answers a session's requests in the order sent), then
 * decoded and completed. Kept apart from the session state machine in {@link ClientCore}, which decides when the
 * window may send. Actor-confined.
 */
final class RequestWindow {
    /** The client's logger, as before this class was split off: log settings that name it still apply. */
    private static final Logger log = LoggerFactory.getLogger(ClientCore.class);

    private final ArrayDeque<Pending> inflight = new ArrayDeque<>();
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private final int maxPendingRequests;
    private final WatchRegistry watches;
    private final SerialExecutor actor;
    private int nextXid = 1;

    RequestWindow(int maxPendingRequests, WatchRegistry watches, SerialExecutor actor) {
        this.maxPendingRequests = maxPendingRequests;
        this.watches = watches;
        this.actor = actor;
    }

    void queue(Pending p) {
        waiting.add(p);
    }

    /** Forgets a request whose caller went away: dropped if not sent yet, its reply ignored otherwise. */
    void cancel(Pending p) {
        p.cancelled = true;
        waiting.remove(p);
    }

    /** Whether fewer than maxPendingRequests are in flight. */
    boolean hasRoom() {
        return inflight.size() < maxPendingRequests;
    }

    /** The oldest request waiting to be sent, taken out; null when none waits. */
    Pending nextWaiting() {
        return waiting.poll();
    }

    boolean noneInFlight() {
        return inflight.isEmpty();
    }

    /** Sends {@code p} on {@code wire} at once, past the window, with the next xid. */
    void send(Wire wire, Pending p, long sessionId) {
        p.xid = nextXid;
        nextXid = nextXid == Integer.MAX_VALUE ? 1 : nextXid + 1;
        inflight.add(p);
        if (log.isTraceEnabled()) {
            log.trace("session 0x{}: send xid {} op {} {}", Long.toHexString(sessionId), p.xid,
                    OpCode.name(p.opCode), p.path);
        }
        wire.send(Frames.request(wire.alloc(), p.xid, p.opCode, p.body));
    }

    /**
     * The request a reply with {@code xid} answers, taken out of the window; null (the connection is to be dropped)
     * when the xid is not the oldest request's.
     */
    Pending answered(int xid) {
        Pending p = inflight.poll();
        if (p == null || p.xid != xid) {
            log.warn("reply xid {} does not match the oldest request {}, dropping the connection", xid,
                    p == null ? "(none)" : p.xid);
            if (p != null) {
                inflight.addFirst(p);
            }
            return null;
        }
        return p;
    }

    /**
     * Completes {@code p} with its reply: decoded (and its watch registered) or failed with the server's error.
     * False when the decoder failed it instead (a failed transaction, say, or a reply that does not decode).
     */
    boolean complete(Pending p, int err, JuteInput in) {
        if (err == ErrorCode.OK || p.decoder.accepts(err)) {
            Object value;
            try {
                value = p.decoder.decode(err, in);
            } catch (KeeperErrorException e) {
                p.fail(e); // a decoder's verdict, e.g. a failed transaction
                return false;
            } catch (RuntimeException e) {
                p.fail(new KeeperErrorException(ErrorCode.MARSHALLING_ERROR, p.path, e.toString()));
                return false;
            }
            if (p.watch != null && !p.cancelled) {
                watches.add(OneShotWatch.kindFor(p.opCode, err), p.watch);
                OneShotWatch watch = p.watch;
                watch.onCancel = () -> actor.execute(() -> watches.remove(watch));
            }
            p.succeed(value);
        } else {
            p.fail(new KeeperErrorException(err, p.path));
        }
        return true;
    }

    void failInFlight(Throwable error) {
        failAll(inflight, error);
    }

    void failWaiting(Throwable error) {
        failAll(waiting, error);
    }

    private static void failAll(ArrayDeque<Pending> queue, Throwable error) {
        for (Iterator<Pending> it = queue.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            it.remove();
            p.fail(error);
        }
    }

    /** {in flight, waiting}. */
    int[] counts() {
        return new int[] {inflight.size(), waiting.size()};
    }
}
