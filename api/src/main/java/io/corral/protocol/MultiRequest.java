package io.corral.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * The body of multi (14) and multiRead (22): a MultiHeader and a request record per operation, then a terminator.
 * An op type that has no record here fails the whole request (MarshallingError), as in ZooKeeper.
 */
public record MultiRequest(List<MultiOp> ops) implements Record {

    public static MultiRequest read(JuteInput in) {
        List<MultiOp> ops = new ArrayList<>();
        MultiHeader header = MultiHeader.read(in);
        while (!header.done()) {
            ops.add(new MultiOp(header.type(), readOp(header.type(), in)));
            header = MultiHeader.read(in);
        }
        return new MultiRequest(ops);
    }

    private static Record readOp(int type, JuteInput in) {
        return switch (type) {
            case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER -> CreateRequest.read(in, false);
            case OpCode.CREATE_TTL -> CreateRequest.read(in, true);
            case OpCode.DELETE -> DeleteRequest.read(in);
            case OpCode.SET_DATA -> SetDataRequest.read(in);
            case OpCode.CHECK -> CheckVersionRequest.read(in);
            case OpCode.GET_DATA, OpCode.GET_CHILDREN -> PathWatchRequest.read(in);
            default -> throw new MarshallingException("invalid multi op type " + type);
        };
    }

    @Override
    public void write(JuteOutput out) {
        for (MultiOp op : ops) {
            new MultiHeader(op.type(), false, -1).write(out);
            op.request().write(out);
        }
        new MultiHeader(-1, true, -1).write(out);
    }
}
