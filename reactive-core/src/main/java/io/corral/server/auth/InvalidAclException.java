package io.corral.server.auth;

import io.corral.protocol.ErrorCode;

/**
 * An ACL list that create/setACL must refuse: with {@link ErrorCode#INVALID_ACL}, or with MARSHALLINGERROR for a null
 * id of a scheme whose provider ZooKeeper asks about it (it fails on the null, and answers that).
 */
public final class InvalidAclException extends RuntimeException {
    private final int code;

    public InvalidAclException(String reason) {
        this(reason, ErrorCode.INVALID_ACL);
    }

    InvalidAclException(String reason, int code) {
        // Expected client error on a request path: the stack trace would be cost without information.
        super(reason, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
