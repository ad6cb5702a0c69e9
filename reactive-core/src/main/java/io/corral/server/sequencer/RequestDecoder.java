package io.corral.server.sequencer;

import io.corral.protocol.AuthPacket;
import io.corral.protocol.BufferRecord;
import io.corral.protocol.CreateRequest;
import io.corral.protocol.DeleteRequest;
import io.corral.protocol.JuteInput;
import io.corral.protocol.MarshallingException;
import io.corral.protocol.MultiRequest;
import io.corral.protocol.OpCode;
import io.corral.protocol.PathRequest;
import io.corral.protocol.PathTypeRequest;
import io.corral.protocol.PathWatchRequest;
import io.corral.protocol.ReconfigRequest;
import io.corral.protocol.Record;
import io.corral.protocol.SetAclRequest;
import io.corral.protocol.SetDataRequest;
import io.corral.protocol.SetWatchesRequest;
import io.corral.protocol.SubscribeRequest;
import io.corral.protocol.UnsubscribeRequest;

/** Decodes the request record that follows a RequestHeader, by opcode. */
public final class RequestDecoder {

    /** Thrown for opcodes a client may not send; the server answers UNIMPLEMENTED and closes. */
    public static final class UnsupportedOpcode extends Exception {
        UnsupportedOpcode() {
            super(null, null, false, false);
        }
    }

    private RequestDecoder() {
    }

    /** The request record, or null for opcodes without a body. MarshallingException when it does not decode. */
    public static Record decode(int type, JuteInput in) throws UnsupportedOpcode {
        return switch (type) {
            case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER -> CreateRequest.read(in, false);
            case OpCode.CREATE_TTL -> CreateRequest.read(in, true);
            case OpCode.DELETE -> DeleteRequest.read(in);
            case OpCode.EXISTS, OpCode.GET_DATA, OpCode.GET_CHILDREN, OpCode.GET_CHILDREN2 -> PathWatchRequest.read(in);
            case OpCode.SET_DATA -> SetDataRequest.read(in);
            case OpCode.GET_ACL, OpCode.SYNC, OpCode.GET_EPHEMERALS, OpCode.GET_ALL_CHILDREN_NUMBER ->
                    PathRequest.read(in);
            case OpCode.SET_ACL -> SetAclRequest.read(in);
            case OpCode.CHECK_WATCHES, OpCode.REMOVE_WATCHES, OpCode.ADD_WATCH -> PathTypeRequest.read(in);
            case OpCode.MULTI, OpCode.MULTI_READ -> MultiRequest.read(in);
            case OpCode.AUTH -> AuthPacket.read(in);
            case OpCode.SET_WATCHES -> SetWatchesRequest.read(in, false);
            case OpCode.SET_WATCHES2 -> SetWatchesRequest.read(in, true);
            case OpCode.SASL -> BufferRecord.read(in);
            case OpCode.RECONFIG -> ReconfigRequest.read(in);
            case OpCode.CORRAL_SUBSCRIBE -> SubscribeRequest.read(in);
            case OpCode.CORRAL_UNSUBSCRIBE -> UnsubscribeRequest.read(in);
            case OpCode.PING, OpCode.WHO_AM_I, OpCode.CLOSE_SESSION -> null;
            // internal txn type: ZooKeeper 3.9.5 fails it as undecodable (and it consumes a zxid)
            case OpCode.CREATE_SESSION -> throw new MarshallingException("createSession is not a client request");
            default -> throw new UnsupportedOpcode();
        };
    }
}
