package io.corral.server.ensemble;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A recorded run: every operation on every register, and the registers' state before the first operation.
 *
 * @param initialValues the value each register held at version 0 before the run; a key not listed starts absent
 * @param ops           the operations, in any order
 */
public record History(Map<String, String> initialValues, List<RegisterOp> ops) {

    public History {
        initialValues = Map.copyOf(initialValues);
        ops = List.copyOf(ops);
    }

    /** The operations per key, each list in invocation order; keys sorted. */
    public Map<String, List<RegisterOp>> byKey() {
        Map<String, List<RegisterOp>> out = new TreeMap<>();
        for (RegisterOp op : ops) {
            out.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        out.values().forEach(list -> list.sort((a, b) -> Long.compare(a.invokeNanos(), b.invokeNanos())));
        return out;
    }

    /**
     * The history without its reads: what ZooKeeper promises to be linearizable is its writes (a follower serves
     * reads from its own, possibly lagging, copy). Conditional writes and the versions writes return still reveal
     * the order of writes.
     */
    public History withoutReads() {
        return new History(initialValues, ops.stream().filter(op -> op.kind() != RegisterOp.Kind.READ).toList());
    }

    /** The earliest invocation time (the origin of the times in explanations). */
    public long originNanos() {
        return ops.stream().mapToLong(RegisterOp::invokeNanos).min().orElse(0);
    }

    /** How many operations of each outcome, for logs. */
    public Map<RegisterOp.Outcome, Integer> outcomeCounts() {
        Map<RegisterOp.Outcome, Integer> counts = new LinkedHashMap<>();
        for (RegisterOp.Outcome o : RegisterOp.Outcome.values()) {
            counts.put(o, 0);
        }
        ops.forEach(op -> counts.merge(op.outcome(), 1, Integer::sum));
        return counts;
    }
}
