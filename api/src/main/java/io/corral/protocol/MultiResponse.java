package io.corral.protocol;

import java.util.ArrayList;
import java.util.List;

/** The body of a multi / multiRead reply. */
public record MultiResponse(List<MultiResult> results) implements Record {

    public static MultiResponse read(JuteInput in) {
        List<MultiResult> results = new ArrayList<>();
        MultiHeader header = MultiHeader.read(in);
        while (!header.done()) {
            Record body = switch (header.type()) {
                case OpCode.CREATE -> CreateResponse.read(in);
                case OpCode.CREATE2 -> Create2Response.read(in);
                case OpCode.SET_DATA -> StatResponse.read(in);
                case OpCode.GET_DATA -> GetDataResponse.read(in);
                case OpCode.GET_CHILDREN -> StringListResponse.read(in);
                case OpCode.ERROR -> IntResponse.read(in);
                default -> null;
            };
            results.add(new MultiResult(header.type(), header.err(), body));
            header = MultiHeader.read(in);
        }
        return new MultiResponse(results);
    }

    @Override
    public void write(JuteOutput out) {
        for (MultiResult result : results) {
            new MultiHeader(result.type(), false, result.err()).write(out);
            if (result.body() != null) {
                result.body().write(out);
            }
        }
        new MultiHeader(-1, true, -1).write(out);
    }
}
