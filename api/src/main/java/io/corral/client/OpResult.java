package io.corral.client;

import io.corral.protocol.ErrorCode;
import io.corral.protocol.OpCode;
import io.corral.protocol.Stat;

/**
 * The result of one operation of a {@link Transaction}: {@code type} is the op's code ({@link OpCode#CREATE2} for
 * every kind of create, {@link OpCode#DELETE}, {@link OpCode#SET_DATA}, {@link OpCode#CHECK}) or {@link OpCode#ERROR}
 * with {@code err} set. {@code path} is the created path (client view) and {@code stat} the new Stat for creates and
 * setData; both are null otherwise.
 */
public record OpResult(int type, int err, String path, Stat stat) {

    public boolean isError() {
        return type == OpCode.ERROR && err != ErrorCode.OK;
    }
}
