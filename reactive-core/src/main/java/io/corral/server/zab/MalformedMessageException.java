package io.corral.server.zab;

/** A peer message that cannot be decoded: truncated, oversized, of an unknown type or with an impossible field. */
public final class MalformedMessageException extends RuntimeException {

    public MalformedMessageException(String message) {
        super(message);
    }
}
