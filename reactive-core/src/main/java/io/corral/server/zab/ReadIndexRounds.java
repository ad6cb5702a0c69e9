package io.corral.server.zab;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A leader's pending read-index requests and the numbered heartbeats that confirm them, for one term.
 *
 * <p>Every heartbeat the leader sends takes the next sequence number. A request made after heartbeat {@code s} was
 * sent needs the answers to heartbeat {@code s + 1} or later: only those prove that the learners still followed this
 * leader after the request arrived. Requests are kept in arrival order, so their needed numbers never decrease and a
 * quorum's answer confirms a prefix of them. One round (one heartbeat) serves every request pending when it is sent;
 * requests that arrive while it is in flight wait for the next one.
 */
final class ReadIndexRounds {

    /** a request {@code requestId} at read index {@code index}, confirmed by the answers to heartbeat {@code needs} */
    record Pending(long requestId, long index, long needs) {
    }

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final int limit;
    /** the number of the last heartbeat sent; 0 before the first */
    private long sent;

    ReadIndexRounds(int limit) {
        this.limit = limit;
    }

    /** the number of the last heartbeat sent */
    long lastHeartbeat() {
        return sent;
    }

    /** numbers a heartbeat about to be sent */
    long nextHeartbeat() {
        return ++sent;
    }

    /**
     * Records a request.
     *
     * @throws IllegalStateException if {@code limit} requests are pending already
     */
    void add(long requestId, long index) {
        if (pending.size() >= limit) {
            throw new IllegalStateException("too many pending read-index requests: " + pending.size());
        }
        pending.addLast(new Pending(requestId, index, sent + 1));
    }

    /** some request waits for a heartbeat that has not been sent: no round is in flight for it */
    boolean needsRound() {
        return !pending.isEmpty() && pending.peekFirst().needs() > sent;
    }

    /** removes and returns, in arrival order, the requests that the answers up to heartbeat {@code answered} confirm */
    List<Pending> confirm(long answered) {
        List<Pending> done = new ArrayList<>();
        while (!pending.isEmpty() && pending.peekFirst().needs() <= answered) {
            done.add(pending.pollFirst());
        }
        return done;
    }

    /** removes and returns every pending request, in arrival order */
    List<Pending> abandon() {
        List<Pending> all = new ArrayList<>(pending);
        pending.clear();
        return all;
    }

    int size() {
        return pending.size();
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }
}
