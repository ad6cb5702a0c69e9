package io.corral.server.auth;

import io.corral.protocol.ErrorCode;

/** An ACL list that create/setACL must refuse with {@link ErrorCode#INVALID_ACL}. */
public final class InvalidAclException extends RuntimeException {
    public InvalidAclException(String reason) {
        // Expected client error on a request path: the stack trace would be cost without information.
        super(reason, null, false, false);
    }

    public int code() {
        return ErrorCode.INVALID_ACL;
    }
}
