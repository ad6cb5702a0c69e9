package io.corral.client;

import io.corral.protocol.ErrorCode;

/**
 * An operation failed with one of ZooKeeper's error codes ({@link ErrorCode}): a server error such as NONODE or
 * BADVERSION, or a client-side one such as CONNECTIONLOSS (the connection broke while the request was in flight),
 * SESSIONEXPIRED or REQUESTTIMEOUT. {@link #path()} is the path the operation was about (client view, without
 * chroot), or null when there is none.
 */
public class KeeperErrorException extends RuntimeException {
    private final int code;
    private final String path;

    public KeeperErrorException(int code, String path) {
        this(code, path, null);
    }

    public KeeperErrorException(int code, String path, String detail) {
        this(code, path, detail, null);
    }

    /** With the failure behind it (say, why no connection could be made), or null. */
    public KeeperErrorException(int code, String path, String detail, Throwable cause) {
        super(message(code, path, detail), cause, false, false);
        this.code = code;
        this.path = path;
    }

    private static String message(int code, String path, String detail) {
        StringBuilder sb = new StringBuilder("KeeperErrorCode = ").append(ErrorCode.name(code));
        if (path != null) {
            sb.append(" for ").append(path);
        }
        if (detail != null) {
            sb.append(": ").append(detail);
        }
        return sb.toString();
    }

    /** The error code, one of {@link ErrorCode}'s constants. */
    public int code() {
        return code;
    }

    /** The path of the failed operation, or null. */
    public String path() {
        return path;
    }

    /** True when this error carries the given code. */
    public boolean is(int errorCode) {
        return code == errorCode;
    }

    /** True when {@code t} is a KeeperErrorException with the given code. */
    public static boolean hasCode(Throwable t, int errorCode) {
        return t instanceof KeeperErrorException k && k.code == errorCode;
    }
}
