package io.corral.cli;

import io.corral.protocol.EventType;
import io.corral.protocol.KeeperState;

/** What zkCli's default watcher prints: a watch notification or a change of the connection's state. */
public record ShellEvent(int state, int type, String path, long zxid) {

    static ShellEvent connection(int state) {
        return new ShellEvent(state, EventType.NONE, null, -1);
    }

    static ShellEvent removed(int type, String path) {
        return new ShellEvent(KeeperState.SYNC_CONNECTED, type, path, -1);
    }

    /** ZooKeeper's WatchedEvent text, e.g. {@code WatchedEvent state:SyncConnected type:NodeDataChanged path:/x zxid: 5}. */
    @Override
    public String toString() {
        return "WatchedEvent state:" + stateName(state) + " type:" + typeName(type) + " path:" + path + " zxid: " + zxid;
    }

    static String stateName(int state) {
        return switch (state) {
            case KeeperState.DISCONNECTED -> "Disconnected";
            case 1 -> "NoSyncConnected";
            case KeeperState.SYNC_CONNECTED -> "SyncConnected";
            case KeeperState.AUTH_FAILED -> "AuthFailed";
            case KeeperState.CONNECTED_READ_ONLY -> "ConnectedReadOnly";
            case 6 -> "SaslAuthenticated";
            case KeeperState.EXPIRED -> "Expired";
            case KeeperState.CLOSED -> "Closed";
            default -> "Unknown";
        };
    }

    static String typeName(int type) {
        return switch (type) {
            case EventType.NONE -> "None";
            case EventType.NODE_CREATED -> "NodeCreated";
            case EventType.NODE_DELETED -> "NodeDeleted";
            case EventType.NODE_DATA_CHANGED -> "NodeDataChanged";
            case EventType.NODE_CHILDREN_CHANGED -> "NodeChildrenChanged";
            case EventType.DATA_WATCH_REMOVED -> "DataWatchRemoved";
            case EventType.CHILD_WATCH_REMOVED -> "ChildWatchRemoved";
            case EventType.PERSISTENT_WATCH_REMOVED -> "PersistentWatchRemoved";
            default -> "Unknown(" + type + ")";
        };
    }
}
