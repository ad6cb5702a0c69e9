package io.corral.protocol;

/**
 * One result of a multi: its result type (the op type, or -1 for an error), its error code, and the record that
 * follows the header (an {@link IntResponse} with the error for an error result, null when nothing follows).
 */
public record MultiResult(int type, int err, Record body) {

    public static MultiResult error(int err) {
        return new MultiResult(OpCode.ERROR, err, new IntResponse(err));
    }
}
