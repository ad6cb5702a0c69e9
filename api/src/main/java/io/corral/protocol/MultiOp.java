package io.corral.protocol;

/**
 * One operation of a multi (opcode 14) or multiRead (22): its op type and request record
 * (CreateRequest, DeleteRequest, SetDataRequest, CheckVersionRequest, PathWatchRequest).
 */
public record MultiOp(int type, Record request) {
}
