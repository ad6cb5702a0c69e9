package io.corral.cli;

import java.time.Duration;

import io.corral.client.ClientOptions;
import io.corral.client.ClientTls;
import io.corral.client.ConnectionState;
import io.corral.client.CorralClient;
import io.corral.client.KeeperErrorException;
import io.corral.client.Notification;
import io.corral.protocol.KeeperState;
import reactor.core.Disposable;

/**
 * One connection of the shell: the client, the shell's watches on it, and the subscriptions that turn the client's
 * notifications and state changes into printed events (on the {@link EventPrinter}'s thread, never the client's).
 */
final class Session {
    final String host;
    final CorralClient client;
    final ShellWatches watches = new ShellWatches();
    private final Disposable notifications;
    private final Disposable states;

    private Session(String host, CorralClient client, EventPrinter printer) {
        this.host = host;
        this.client = client;
        this.notifications = client.notifications().subscribe(n -> onNotification(n, printer));
        // the current state (CONNECTED) was reported by open(); later changes go to the printer
        this.states = client.states().skip(1).subscribe(s -> printer.offer(ShellEvent.connection(keeperState(s))));
    }

    /**
     * Connects and waits for the session; reports the SyncConnected event on {@code printer} as zkCli's watcher
     * does. Fails with the client's error when no server answers within the timeout.
     */
    static Session open(String host, Duration timeout, boolean canBeReadOnly, ClientTls tls, EventPrinter printer) {
        ClientOptions options = ClientOptions.builder().sessionTimeout(timeout).connectionTimeout(timeout)
                .canBeReadOnly(canBeReadOnly).tls(tls).build();
        CorralClient client = CorralClient.connect(host, options).block();
        printer.offer(ShellEvent.connection(KeeperState.SYNC_CONNECTED));
        return new Session(host, client, printer);
    }

    private void onNotification(Notification n, EventPrinter printer) {
        if (watches.dispatch(n.type(), n.path())) {
            printer.offer(new ShellEvent(n.state(), n.type(), n.path(), n.zxid()));
        }
    }

    /** As ZooKeeper's {@code States.isAlive()}: neither closed nor expired. */
    boolean alive() {
        return !client.state().isTerminal();
    }

    /** The state as zkCli's prompt shows it. */
    String stateName() {
        return switch (client.state()) {
            case CONNECTED, RECONNECTED -> "CONNECTED";
            case CONNECTED_READ_ONLY -> "CONNECTEDREADONLY"; // ZooKeeper's States name
            case SUSPENDED -> "CONNECTING";
            case EXPIRED, CLOSED -> "CLOSED";
        };
    }

    /** Closes the session (the Closed event follows on the printer); waits at most {@code timeout}. */
    void close(Duration timeout) {
        if (alive()) {
            try {
                client.close().block(timeout);
                client.states().then().block(timeout); // completes after CLOSED reached every subscriber
            } catch (KeeperErrorException | IllegalStateException e) {
                // the session is gone either way
            }
        }
        watches.clear();
    }

    /** Stops reporting (the shell is exiting). */
    void detach() {
        notifications.dispose();
        states.dispose();
    }

    private static int keeperState(ConnectionState s) {
        return switch (s) {
            case CONNECTED, RECONNECTED -> KeeperState.SYNC_CONNECTED;
            case CONNECTED_READ_ONLY -> KeeperState.CONNECTED_READ_ONLY;
            case SUSPENDED -> KeeperState.DISCONNECTED;
            case EXPIRED -> KeeperState.EXPIRED;
            case CLOSED -> KeeperState.CLOSED;
        };
    }
}
