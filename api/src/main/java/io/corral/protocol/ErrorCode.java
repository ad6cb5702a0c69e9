package io.corral.protocol;

/** ZooKeeper's error codes (ReplyHeader.err, MultiHeader.err), as KeeperException.Code numbers them. */
public final class ErrorCode {
    public static final int OK = 0;
    public static final int SYSTEM_ERROR = -1;
    public static final int RUNTIME_INCONSISTENCY = -2;
    public static final int DATA_INCONSISTENCY = -3;
    public static final int CONNECTION_LOSS = -4;
    public static final int MARSHALLING_ERROR = -5;
    public static final int UNIMPLEMENTED = -6;
    public static final int OPERATION_TIMEOUT = -7;
    public static final int BAD_ARGUMENTS = -8;
    public static final int UNKNOWN_SESSION = -12;
    public static final int NEW_CONFIG_NO_QUORUM = -13;
    public static final int RECONFIG_IN_PROGRESS = -14;
    public static final int API_ERROR = -100;
    public static final int NO_NODE = -101;
    public static final int NO_AUTH = -102;
    public static final int BAD_VERSION = -103;
    public static final int NO_CHILDREN_FOR_EPHEMERALS = -108;
    public static final int NODE_EXISTS = -110;
    public static final int NOT_EMPTY = -111;
    public static final int SESSION_EXPIRED = -112;
    public static final int INVALID_CALLBACK = -113;
    public static final int INVALID_ACL = -114;
    public static final int AUTH_FAILED = -115;
    public static final int SESSION_MOVED = -118;
    public static final int NOT_READONLY = -119;
    public static final int EPHEMERAL_ON_LOCAL_SESSION = -120;
    public static final int NO_WATCHER = -121;
    public static final int REQUEST_TIMEOUT = -122;
    public static final int RECONFIG_DISABLED = -123;
    public static final int SESSION_CLOSED_REQUIRE_SASL_AUTH = -124;
    public static final int QUOTA_EXCEEDED = -125;
    public static final int THROTTLED_OP = -127;
    /**
     * Corral only: a resumable watch stream asked for changes after a zxid older than the history this server
     * retains (etcd's "compacted revision"); start again from a fresh read.
     */
    public static final int HISTORY_COMPACTED = -200;

    private ErrorCode() {
    }

    public static String name(int code) {
        return switch (code) {
            case OK -> "OK";
            case SYSTEM_ERROR -> "SYSTEMERROR";
            case RUNTIME_INCONSISTENCY -> "RUNTIMEINCONSISTENCY";
            case DATA_INCONSISTENCY -> "DATAINCONSISTENCY";
            case CONNECTION_LOSS -> "CONNECTIONLOSS";
            case MARSHALLING_ERROR -> "MARSHALLINGERROR";
            case UNIMPLEMENTED -> "UNIMPLEMENTED";
            case OPERATION_TIMEOUT -> "OPERATIONTIMEOUT";
            case BAD_ARGUMENTS -> "BADARGUMENTS";
            case UNKNOWN_SESSION -> "UNKNOWNSESSION";
            case NEW_CONFIG_NO_QUORUM -> "NEWCONFIGNOQUORUM";
            case RECONFIG_IN_PROGRESS -> "RECONFIGINPROGRESS";
            case API_ERROR -> "APIERROR";
            case NO_NODE -> "NONODE";
            case NO_AUTH -> "NOAUTH";
            case BAD_VERSION -> "BADVERSION";
            case NO_CHILDREN_FOR_EPHEMERALS -> "NOCHILDRENFOREPHEMERALS";
            case NODE_EXISTS -> "NODEEXISTS";
            case NOT_EMPTY -> "NOTEMPTY";
            case SESSION_EXPIRED -> "SESSIONEXPIRED";
            case INVALID_CALLBACK -> "INVALIDCALLBACK";
            case INVALID_ACL -> "INVALIDACL";
            case AUTH_FAILED -> "AUTHFAILED";
            case SESSION_MOVED -> "SESSIONMOVED";
            case NOT_READONLY -> "NOTREADONLY";
            case EPHEMERAL_ON_LOCAL_SESSION -> "EPHEMERALONLOCALSESSION";
            case NO_WATCHER -> "NOWATCHER";
            case REQUEST_TIMEOUT -> "REQUESTTIMEOUT";
            case RECONFIG_DISABLED -> "RECONFIGDISABLED";
            case SESSION_CLOSED_REQUIRE_SASL_AUTH -> "SESSIONCLOSEDREQUIRESASLAUTH";
            case QUOTA_EXCEEDED -> "QUOTAEXCEEDED";
            case THROTTLED_OP -> "THROTTLEDOP";
            case HISTORY_COMPACTED -> "HISTORYCOMPACTED";
            default -> "UNKNOWN(" + code + ")";
        };
    }
}
