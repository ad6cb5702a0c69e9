package io.corral.protocol;

/** Request types (RequestHeader.type) and transaction types of the ZooKeeper protocol. */
public final class OpCode {
    public static final int NOTIFICATION = 0;
    public static final int CREATE = 1;
    public static final int DELETE = 2;
    public static final int EXISTS = 3;
    public static final int GET_DATA = 4;
    public static final int SET_DATA = 5;
    public static final int GET_ACL = 6;
    public static final int SET_ACL = 7;
    public static final int GET_CHILDREN = 8;
    public static final int SYNC = 9;
    public static final int PING = 11;
    public static final int GET_CHILDREN2 = 12;
    public static final int CHECK = 13;
    public static final int MULTI = 14;
    public static final int CREATE2 = 15;
    public static final int RECONFIG = 16;
    public static final int CHECK_WATCHES = 17;
    public static final int REMOVE_WATCHES = 18;
    public static final int CREATE_CONTAINER = 19;
    public static final int DELETE_CONTAINER = 20;
    public static final int CREATE_TTL = 21;
    public static final int MULTI_READ = 22;
    public static final int AUTH = 100;
    public static final int SET_WATCHES = 101;
    public static final int SASL = 102;
    public static final int GET_EPHEMERALS = 103;
    public static final int GET_ALL_CHILDREN_NUMBER = 104;
    public static final int SET_WATCHES2 = 105;
    public static final int ADD_WATCH = 106;
    public static final int WHO_AM_I = 107;
    /**
     * Corral's resumable watch streams (see docs/STREAMS_WIRE.md): only a client that asks for them sends these, and
     * ZooKeeper answers them UNIMPLEMENTED, which is how such a client learns to fall back.
     */
    public static final int CORRAL_SUBSCRIBE = 5001;
    public static final int CORRAL_UNSUBSCRIBE = 5002;
    public static final int CREATE_SESSION = -10;
    public static final int CLOSE_SESSION = -11;
    public static final int ERROR = -1;

    private OpCode() {
    }

    /** The mnemonic the four-letter words print (cons: lop=...). */
    public static String name(int op) {
        return switch (op) {
            case NOTIFICATION -> "NOTI";
            case CREATE -> "CREA";
            case DELETE -> "DELE";
            case EXISTS -> "EXIS";
            case GET_DATA -> "GETD";
            case SET_DATA -> "SETD";
            case GET_ACL -> "GETA";
            case SET_ACL -> "SETA";
            case GET_CHILDREN -> "GETC";
            case SYNC -> "SYNC";
            case PING -> "PING";
            case GET_CHILDREN2 -> "GETC";
            case CHECK -> "CHKV";
            case MULTI -> "MULT";
            case CREATE2 -> "CREA";
            case RECONFIG -> "RCFG";
            case CHECK_WATCHES -> "CHKW";
            case REMOVE_WATCHES -> "REMW";
            case CREATE_CONTAINER -> "CCON";
            case DELETE_CONTAINER -> "DCON";
            case CREATE_TTL -> "CTTL";
            case MULTI_READ -> "MLTR";
            case AUTH -> "AUTH";
            case SET_WATCHES -> "SETW";
            case SASL -> "SASL";
            case GET_EPHEMERALS -> "GETE";
            case GET_ALL_CHILDREN_NUMBER -> "GETACN";
            case SET_WATCHES2 -> "STW2";
            case ADD_WATCH -> "ADDW";
            case WHO_AM_I -> "HOMI";
            case CORRAL_SUBSCRIBE -> "CSUB";
            case CORRAL_UNSUBSCRIBE -> "CUNS";
            case CREATE_SESSION -> "SESS";
            case CLOSE_SESSION -> "CLOS";
            default -> "UNKNOWN";
        };
    }
}
