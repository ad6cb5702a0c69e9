package io.corral.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import io.corral.protocol.AuthPacket;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.OpCode;

/**
 * The identities the session authenticates with: offered again on every new connection (a server keeps them per
 * connection), their auth packets answered in the order sent under one reserved xid. Kept apart from the session
 * state machine in {@link ClientCore}; actor-confined.
 */
final class Authentications {
    private final List<AuthInfo> auths;
    private final ArrayDeque<AuthPending> inflight = new ArrayDeque<>();

    Authentications(List<AuthInfo> initial) {
        this.auths = new ArrayList<>(initial);
    }

    /** Offers every identity on a new connection; nobody waits for these replies. */
    void sendAll(Wire w) {
        for (AuthInfo info : auths) {
            send(w, new AuthPending(info, null));
        }
    }

    /** An identity to offer on this connection (if {@link #send} follows) and on every later one. */
    void add(AuthInfo info) {
        auths.add(info);
    }

    void send(Wire w, AuthPending a) {
        inflight.add(a);
        w.send(Frames.request(w.alloc(), ClientCore.XID_AUTH, OpCode.AUTH,
                new AuthPacket(0, a.info().scheme(), a.info().auth())));
    }

    /** The reply to the oldest auth packet in flight. */
    void replied(int err) {
        AuthPending a = inflight.poll();
        if (a == null) {
            return;
        }
        if (err == ErrorCode.OK) {
            a.succeed();
        } else {
            auths.remove(a.info()); // the server drops the connection; do not offer it again
            a.fail(new KeeperErrorException(err, null, "authentication with scheme " + a.info().scheme()));
        }
    }

    boolean noneInFlight() {
        return inflight.isEmpty();
    }

    void failInFlight(Throwable error) {
        while (!inflight.isEmpty()) {
            inflight.poll().fail(error);
        }
    }
}
