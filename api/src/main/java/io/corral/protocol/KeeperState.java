package io.corral.protocol;

/** WatcherEvent.state values; a server only ever sends SYNC_CONNECTED. */
public final class KeeperState {
    public static final int DISCONNECTED = 0;
    public static final int SYNC_CONNECTED = 3;
    public static final int AUTH_FAILED = 4;
    public static final int CONNECTED_READ_ONLY = 5;
    public static final int EXPIRED = -112;
    public static final int CLOSED = 7;

    private KeeperState() {
    }
}
