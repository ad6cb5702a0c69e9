package io.corral.protocol;

/** A record could not be decoded: truncated, or an inner length that lies. Maps to MARSHALLINGERROR. */
public final class MarshallingException extends RuntimeException {
    public MarshallingException(String message) {
        super(message, null, false, false);
    }
}
