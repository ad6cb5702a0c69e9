package io.corral.server.sequencer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A learner that lost its leader keeps its clients' connections open while the ensemble elects and it synchronises
 * with the new leader, rather than closing them as ZooKeeper does: the official client waits a random 0–1 s before it
 * tries again after a closed connection, which is most of a failover as its application sees it. Meanwhile requests
 * and handshakes wait (at most {@code limit} of them; past that the connection that sent one more is closed). If no
 * leader serves within the hold time, every connection is closed after all, as ZooKeeper would have at once.
 * <p>
 * A server that led does not hold: its own proposals' fate is only known to the next leader.
 */
final class LeaderChangeHold {
    private final long holdMillis;
    private final int limit;
    /** when the hold began (System.currentTimeMillis), or -1 while there is none */
    private long since = -1;
    private int held;
    private final ArrayDeque<Inbound.Connect> connects = new ArrayDeque<>();

    LeaderChangeHold(long holdMillis, int limit) {
        this.holdMillis = holdMillis;
        this.limit = limit;
    }

    /** Whether connections are held at all (a hold time of 0 closes them at once, as ZooKeeper does). */
    boolean enabled() {
        return holdMillis > 0;
    }

    boolean active() {
        return since >= 0;
    }

    /** Starts holding, unless already (a hold lasts across the election and the synchronisation that follows). */
    void begin(long now) {
        if (enabled() && !active()) {
            since = now;
        }
    }

    /** Whether one more request may wait; false when the hold is over its bound. */
    boolean admit() {
        return active() && ++held <= limit;
    }

    /** A handshake that waits for the server to serve; false when the hold is over its bound. */
    boolean hold(Inbound.Connect connect) {
        if (!admit()) {
            return false;
        }
        connects.addLast(connect);
        return true;
    }

    boolean expired(long now) {
        return active() && now - since >= holdMillis;
    }

    long heldSinceMillis(long now) {
        return active() ? now - since : 0;
    }

    /** Ends the hold; returns the handshakes that waited, in arrival order. */
    List<Inbound.Connect> end() {
        since = -1;
        held = 0;
        List<Inbound.Connect> waited = List.copyOf(connects);
        connects.clear();
        return waited;
    }

    /**
     * Puts each connection's unanswered forwarded requests back at the head of its waiting queue, in the order the
     * client sent them; a connection whose handshake was among them is closed.
     */
    static void requeue(List<Inbound> unanswered, BiConsumer<Connection, String> close) {
        Map<Connection, List<Request>> byConnection = new LinkedHashMap<>();
        for (Inbound inbound : unanswered) {
            Connection connection = inbound.connection();
            if (inbound instanceof Request request) {
                byConnection.computeIfAbsent(connection, c -> new ArrayList<>()).add(request);
            } else {
                // a session the old leader may or may not have created: the client must start over
                close.accept(connection, "its session's creation was not committed before the leader changed");
            }
        }
        byConnection.forEach((connection, requests) -> {
            if (connection.state().closed) {
                return;
            }
            requests.sort(Comparator.comparingInt(r -> r.xid)); // a client numbers its requests in order
            for (int i = requests.size() - 1; i >= 0; i--) {
                connection.state().waiting.addFirst(requests.get(i));
            }
        });
    }
}
