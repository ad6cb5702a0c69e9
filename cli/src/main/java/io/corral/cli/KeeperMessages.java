package io.corral.cli;

import io.corral.client.KeeperErrorException;
import io.corral.protocol.ErrorCode;

/** The texts zkCli prints for server errors: its own sentences for the common ones, ZooKeeper's message otherwise. */
final class KeeperMessages {
    private KeeperMessages() {
    }

    static String describe(KeeperErrorException e) {
        return describe(e.code(), e.path());
    }

    static String describe(int code, String path) {
        return switch (code) {
            case ErrorCode.NO_NODE -> "Node does not exist: " + path;
            case ErrorCode.NO_CHILDREN_FOR_EPHEMERALS -> "Ephemerals cannot have children: " + path;
            case ErrorCode.NODE_EXISTS -> "Node already exists: " + path;
            case ErrorCode.NOT_EMPTY -> "Node not empty: " + path;
            case ErrorCode.NOT_READONLY -> "Not a read-only call: " + path;
            case ErrorCode.INVALID_ACL -> "Acl is not valid : " + path;
            case ErrorCode.NO_AUTH -> "Insufficient permission : " + path;
            case ErrorCode.BAD_ARGUMENTS -> "Arguments are not valid : " + path;
            case ErrorCode.BAD_VERSION -> "version No is not valid : " + path;
            case ErrorCode.RECONFIG_IN_PROGRESS ->
                    "Another reconfiguration is in progress -- concurrent reconfigs not supported (yet)";
            case ErrorCode.QUOTA_EXCEEDED -> "Quota has exceeded : " + path;
            case ErrorCode.HISTORY_COMPACTED ->
                    "The server no longer retains the changes after that zxid (history compacted): " + path;
            default -> keeperMessage(code, path);
        };
    }

    /** ZooKeeper's KeeperException message: {@code KeeperErrorCode = NoNode for /x} (no "for" without a path). */
    static String keeperMessage(int code, String path) {
        return "KeeperErrorCode = " + codeMessage(code) + (path == null || path.isEmpty() ? "" : " for " + path);
    }

    static String codeMessage(int code) {
        return switch (code) {
            case ErrorCode.OK -> "ok";
            case ErrorCode.SYSTEM_ERROR -> "SystemError";
            case ErrorCode.RUNTIME_INCONSISTENCY -> "RuntimeInconsistency";
            case ErrorCode.DATA_INCONSISTENCY -> "DataInconsistency";
            case ErrorCode.CONNECTION_LOSS -> "ConnectionLoss";
            case ErrorCode.MARSHALLING_ERROR -> "MarshallingError";
            case ErrorCode.UNIMPLEMENTED -> "Unimplemented";
            case ErrorCode.OPERATION_TIMEOUT -> "OperationTimeout";
            case ErrorCode.BAD_ARGUMENTS -> "BadArguments";
            case ErrorCode.UNKNOWN_SESSION -> "Unknown session";
            case ErrorCode.NEW_CONFIG_NO_QUORUM -> "NewConfigNoQuorum";
            case ErrorCode.RECONFIG_IN_PROGRESS -> "ReconfigInProgress";
            case ErrorCode.API_ERROR -> "APIError";
            case ErrorCode.NO_NODE -> "NoNode";
            case ErrorCode.NO_AUTH -> "NoAuth";
            case ErrorCode.BAD_VERSION -> "BadVersion";
            case ErrorCode.NO_CHILDREN_FOR_EPHEMERALS -> "NoChildrenForEphemerals";
            case ErrorCode.NODE_EXISTS -> "NodeExists";
            case ErrorCode.INVALID_ACL -> "InvalidACL";
            case ErrorCode.AUTH_FAILED -> "AuthFailed";
            case ErrorCode.NOT_EMPTY -> "Directory not empty";
            case ErrorCode.SESSION_EXPIRED -> "Session expired";
            case ErrorCode.INVALID_CALLBACK -> "Invalid callback";
            case ErrorCode.SESSION_MOVED -> "Session moved";
            case ErrorCode.NOT_READONLY -> "Not a read-only call";
            case ErrorCode.EPHEMERAL_ON_LOCAL_SESSION -> "Ephemeral node on local session";
            case ErrorCode.NO_WATCHER -> "No such watcher";
            case ErrorCode.REQUEST_TIMEOUT -> "Request timeout";
            case ErrorCode.RECONFIG_DISABLED -> "Reconfig is disabled";
            case ErrorCode.SESSION_CLOSED_REQUIRE_SASL_AUTH -> "Session closed because client failed to authenticate";
            case ErrorCode.QUOTA_EXCEEDED -> "Quota has exceeded";
            case ErrorCode.THROTTLED_OP -> "Op throttled due to high load";
            default -> "Unknown error " + code;
        };
    }
}
