package io.corral.server.sequencer;

import io.corral.server.quorum.Quorum;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server whose transaction log failed (a full disk, an I/O error) stops, as ZooKeeper's does when its sync thread
 * fails. Nothing it takes can be made durable any more: kept serving, it would hold every write unanswered for ever
 * while it answered the sessions' pings, so no client would ever give it up. Instead, the round that sees the
 * failure closes every client connection (the clients move on to another server), nothing is admitted from then on,
 * and the owner is told, to close the server.
 */
final class LogFailureStop {
    private static final Logger log = LoggerFactory.getLogger(LogFailureStop.class);

    private volatile Throwable failure;
    private volatile Consumer<Throwable> owner = t -> { };

    /** Who is told, once, on the sequencer thread (keep it short: hand the closing to another thread). */
    void onFailure(Consumer<Throwable> owner) {
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /** Whether the log failed (any thread). */
    boolean failed() {
        return failure != null;
    }

    /** Once per sequencer round: the first round after the log failed closes every connection and tells the owner. */
    void check(Quorum quorum, Consumer<String> closeAll) {
        if (failure != null) {
            return;
        }
        Throwable f = quorum.logFailure();
        if (f == null) {
            return;
        }
        failure = f;
        log.error("The transaction log failed ({}): this server stops serving; its clients' connections are closed",
                f.toString());
        closeAll.accept("this server's transaction log failed");
        owner.accept(f);
    }
}
