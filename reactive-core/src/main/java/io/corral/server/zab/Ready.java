package io.corral.server.zab;

import java.util.List;

/**
 * The outputs a {@link ZabNode} accumulated since the previous drain, in the order the shell must perform them.
 * Sends may be performed as soon as every earlier output is; Persist is asynchronous but its order among Persists
 * and Truncates is the log's order.
 */
public record Ready(List<ZabOutput> outputs) {

    public Ready {
        outputs = List.copyOf(outputs);
    }

    public boolean isEmpty() {
        return outputs.isEmpty();
    }
}
