package io.corral.client;

/**
 * The state of a client's session, with the meaning Curator gives these names.
 *
 * <ul>
 *   <li>{@link #CONNECTED}: the first connection of the session is up.</li>
 *   <li>{@link #SUSPENDED}: the connection was lost; the session may still be alive and the client is reconnecting.
 *       Operations in flight at that moment failed with CONNECTIONLOSS; new ones wait for the reconnection.</li>
 *   <li>{@link #RECONNECTED}: the same session is connected again (watches re-registered, credentials re-sent).</li>
 *   <li>{@link #EXPIRED}: the session is gone: the server said so, or no server could be reached within the session
 *       timeout. Terminal: every pending and later operation fails with SESSIONEXPIRED.</li>
 *   <li>{@link #CLOSED}: {@link CorralClient#close()} was called. Terminal.</li>
 * </ul>
 */
public enum ConnectionState {
    CONNECTED,
    SUSPENDED,
    RECONNECTED,
    EXPIRED,
    CLOSED;

    /** True while the client can talk to a server. */
    public boolean isConnected() {
        return this == CONNECTED || this == RECONNECTED;
    }

    /** True for the states after which the client never connects again. */
    public boolean isTerminal() {
        return this == EXPIRED || this == CLOSED;
    }
}
