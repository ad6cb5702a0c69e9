package io.corral.client;

/**
 * The state of a client's session, with the meaning Curator gives these names.
 *
 * <ul>
 *   <li>{@link #CONNECTED}: the first connection of the session is up.</li>
 *   <li>{@link #SUSPENDED}: the connection was lost; the session may still be alive and the client is reconnecting.
 *       Operations in flight at that moment failed with CONNECTIONLOSS; new ones wait for the reconnection.</li>
 *   <li>{@link #RECONNECTED}: the same session is connected again (watches re-registered, credentials re-sent).</li>
 *   <li>{@link #CONNECTED_READ_ONLY}: connected to a server that lost its quorum and serves reads only (only with
 *       {@link ClientOptions#canBeReadOnly()}). Writes fail with NOTREADONLY; the client keeps probing the other
 *       servers and moves to a read-write one as soon as one answers (then CONNECTED or RECONNECTED follows). A
 *       session made on a read-only server is not known to the quorum: the first read-write server starts a new one.</li>
 *   <li>{@link #EXPIRED}: the session is gone: the server said so, or no server could be reached within the session
 *       timeout. Terminal: every pending and later operation fails with SESSIONEXPIRED.</li>
 *   <li>{@link #CLOSED}: {@link CorralClient#close()} was called. Terminal.</li>
 * </ul>
 */
public enum ConnectionState {
    CONNECTED,
    SUSPENDED,
    RECONNECTED,
    CONNECTED_READ_ONLY,
    EXPIRED,
    CLOSED;

    /** True while the client can talk to a server (a read-only one included). */
    public boolean isConnected() {
        return this == CONNECTED || this == RECONNECTED || this == CONNECTED_READ_ONLY;
    }

    /** True for the states after which the client never connects again. */
    public boolean isTerminal() {
        return this == EXPIRED || this == CLOSED;
    }
}
