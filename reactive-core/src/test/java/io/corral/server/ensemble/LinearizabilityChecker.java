package io.corral.server.ensemble;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import io.corral.server.ensemble.CheckResult.KeyResult;
import io.corral.server.ensemble.CheckResult.Verdict;

/**
 * Decides whether a history of register operations is linearizable: whether every operation can be given one
 * instant between its invocation and its completion such that, in the order of those instants, each result is the
 * one a single sequential register (see {@link RegisterModel}) would have given.
 *
 * <p>Linearizability is compositional, so each key is checked on its own. Per key this is the Wing–Gong search as
 * refined by Lowe: depth first, the next operation to linearize is any pending one invoked before the earliest
 * completion among the completed operations not yet linearized; a configuration (set of linearized operations,
 * register state) already explored is never explored again. Operations of unknown outcome have no completion: they
 * may be linearized at any point after their invocation, or never (which is the same as last), so the search
 * succeeds once every completed operation is placed. The search is bounded: past a number of configurations the key
 * is reported as {@link Verdict#UNKNOWN} instead of running on.
 */
public final class LinearizabilityChecker {

    public static final long DEFAULT_MAX_CONFIGURATIONS = 2_000_000;
    /** How many operations of the longest legal order an explanation shows. */
    private static final int EXPLAIN_PATH = 6;
    /** How many alternative register states an explanation lists at the point where the search got stuck. */
    private static final int EXPLAIN_STATES = 6;

    private final long maxConfigurations;

    public LinearizabilityChecker() {
        this(DEFAULT_MAX_CONFIGURATIONS);
    }

    /** @param maxConfigurations the search budget per key */
    public LinearizabilityChecker(long maxConfigurations) {
        if (maxConfigurations < 1) {
            throw new IllegalArgumentException("maxConfigurations " + maxConfigurations);
        }
        this.maxConfigurations = maxConfigurations;
    }

    public CheckResult check(History history) {
        long origin = history.originNanos();
        List<KeyResult> results = new ArrayList<>();
        for (Map.Entry<String, List<RegisterOp>> e : history.byKey().entrySet()) {
            String key = e.getKey();
            results.add(new KeySearch(key, e.getValue(), history.initialValues().get(key), origin).run());
        }
        return CheckResult.of(results);
    }

    /** One step of the depth-first search: the configuration reached by linearizing {@code op}. */
    private static final class Frame {
        /** The operation linearized to get here, -1 at the root. */
        final int op;
        final long state;
        /** How many completed (definite) operations are linearized. */
        final int done;
        /** Index into byReturn of the first definite operation not linearized. */
        final int returnCursor;
        /** Index of the first definite operation (invocation order) not linearized. */
        final int invokeCursor;
        final long setHashHigh;
        final long setHashLow;
        final int[] candidates;
        int next;

        Frame(int op, long state, int done, int returnCursor, int invokeCursor, long setHashHigh, long setHashLow,
                int[] candidates) {
            this.op = op;
            this.state = state;
            this.done = done;
            this.returnCursor = returnCursor;
            this.invokeCursor = invokeCursor;
            this.setHashHigh = setHashHigh;
            this.setHashLow = setHashLow;
            this.candidates = candidates;
        }
    }

    /** The search on one key's operations. */
    private final class KeySearch {
        private final String key;
        private final long origin;
        private final RegisterModel model = new RegisterModel();
        private final long initialState;
        /** Definite operations first (by invocation), then those of unknown outcome (by invocation). */
        private final RegisterOp[] ops;
        private final int definite;
        private final long[] invoke;
        private final long[] complete;
        /** The definite operations ordered by completion. */
        private final int[] byReturn;
        /** Random 64-bit words per operation: the hash of a set is the XOR of its members' words (Zobrist). */
        private final long[] zobristHigh;
        private final long[] zobristLow;
        private final boolean[] linearized;
        private final FingerprintSet visited;
        private long configurations;

        private int bestDone = -1;
        private Frame bestFrame;
        private int[] bestPath = new int[0];
        private final Set<Long> bestStates = new LinkedHashSet<>();

        KeySearch(String key, List<RegisterOp> keyOps, String initialValue, long origin) {
            this.key = key;
            this.origin = origin;
            this.initialState = model.initial(initialValue);
            Comparator<RegisterOp> byInvoke = Comparator.comparingLong(RegisterOp::invokeNanos);
            // a read whose answer never came constrains nothing
            List<RegisterOp> known = keyOps.stream().filter(op -> !op.unknown()).sorted(byInvoke).toList();
            List<RegisterOp> unknown = keyOps.stream()
                    .filter(op -> op.unknown() && op.kind() != RegisterOp.Kind.READ).sorted(byInvoke).toList();
            definite = known.size();
            List<RegisterOp> all = new ArrayList<>(known);
            all.addAll(unknown);
            ops = all.toArray(new RegisterOp[0]);
            int n = ops.length;
            invoke = new long[n];
            complete = new long[n];
            for (int i = 0; i < n; i++) {
                invoke[i] = ops[i].invokeNanos();
                complete[i] = ops[i].completeNanos();
            }
            byReturn = java.util.stream.IntStream.range(0, definite).boxed()
                    .sorted(Comparator.<Integer>comparingLong(i -> complete[i]).thenComparingLong(i -> invoke[i]))
                    .mapToInt(Integer::intValue).toArray();
            SplittableRandom random = new SplittableRandom(0x5EED_CA11_0F_C0FFEEL);
            zobristHigh = new long[n];
            zobristLow = new long[n];
            for (int i = 0; i < n; i++) {
                zobristHigh[i] = random.nextLong();
                zobristLow[i] = random.nextLong();
            }
            linearized = new boolean[n];
            visited = new FingerprintSet(Math.min(1 << 20, 4 * n + 16));
        }

        KeyResult run() {
            List<Frame> stack = new ArrayList<>();
            Frame root = new Frame(-1, initialState, 0, 0, 0, 0, 0, candidates(0, 0, 0));
            visited.add(mixHigh(initialState), mixLow(initialState));
            configurations = 1;
            stack.add(root);
            noteProgress(root, stack);
            while (!stack.isEmpty()) {
                Frame f = stack.get(stack.size() - 1);
                if (f.done == definite) {
                    return new KeyResult(key, Verdict.LINEARIZABLE, ops.length, configurations, "");
                }
                if (f.next == f.candidates.length) {
                    stack.remove(stack.size() - 1);
                    if (f.op >= 0) {
                        linearized[f.op] = false;
                    }
                    continue;
                }
                int c = f.candidates[f.next++];
                long state = model.step(f.state, ops[c]);
                if (state == RegisterModel.ILLEGAL) {
                    continue;
                }
                long setHigh = f.setHashHigh ^ zobristHigh[c];
                long setLow = f.setHashLow ^ zobristLow[c];
                if (!visited.add(setHigh ^ mixHigh(state), setLow ^ mixLow(state))) {
                    continue;
                }
                if (++configurations > maxConfigurations) {
                    return new KeyResult(key, Verdict.UNKNOWN, ops.length, configurations,
                            explain("undecided: the search gave up after " + maxConfigurations
                                    + " configurations (too many concurrent or unknown-outcome operations)"));
                }
                linearized[c] = true;
                int done = f.done + (c < definite ? 1 : 0);
                int returnCursor = f.returnCursor;
                while (returnCursor < definite && linearized[byReturn[returnCursor]]) {
                    returnCursor++;
                }
                int invokeCursor = f.invokeCursor;
                while (invokeCursor < definite && linearized[invokeCursor]) {
                    invokeCursor++;
                }
                Frame next = new Frame(c, state, done, returnCursor, invokeCursor, setHigh, setLow,
                        candidates(done, returnCursor, invokeCursor));
                stack.add(next);
                noteProgress(next, stack);
            }
            return new KeyResult(key, Verdict.NOT_LINEARIZABLE, ops.length, configurations,
                    explain("NOT linearizable"));
        }

        /**
         * The operations that may be linearized next: those not yet linearized that were invoked no later than the
         * earliest completion among the definite operations not yet linearized. Definite ones first.
         */
        private int[] candidates(int done, int returnCursor, int invokeCursor) {
            if (done == definite) {
                return new int[0];
            }
            long deadline = complete[byReturn[returnCursor]];
            int[] out = new int[8];
            int count = 0;
            for (int i = invokeCursor; i < definite && invoke[i] <= deadline; i++) {
                if (!linearized[i]) {
                    out = ensure(out, count);
                    out[count++] = i;
                }
            }
            for (int i = definite; i < ops.length && invoke[i] <= deadline; i++) {
                if (!linearized[i]) {
                    out = ensure(out, count);
                    out[count++] = i;
                }
            }
            return Arrays.copyOf(out, count);
        }

        private static int[] ensure(int[] a, int count) {
            return count < a.length ? a : Arrays.copyOf(a, a.length * 2);
        }

        /** Remembers the deepest configuration (most definite operations linearized) for the explanation. */
        private void noteProgress(Frame f, List<Frame> stack) {
            if (f.done > bestDone) {
                bestDone = f.done;
                bestFrame = f;
                bestPath = new int[stack.size() - 1];
                for (int i = 1; i < stack.size(); i++) {
                    bestPath[i - 1] = stack.get(i).op;
                }
                bestStates.clear();
                bestStates.add(f.state);
            } else if (f.done == bestDone && bestStates.size() < EXPLAIN_STATES) {
                bestStates.add(f.state);
            }
        }

        private String explain(String headline) {
            StringBuilder sb = new StringBuilder();
            sb.append("key ").append(key).append(": ").append(headline).append('\n');
            sb.append("  ").append(definite).append(" completed operations, ").append(ops.length - definite)
                    .append(" of unknown outcome; ").append(configurations).append(" configurations searched.\n");
            if (bestFrame == null || bestDone >= definite) {
                return sb.toString();
            }
            sb.append("  At most ").append(bestDone).append(" of the ").append(definite)
                    .append(" completed operations fit in a legal order. The longest order found ends with:\n");
            long state = initialState;
            List<String> lines = new ArrayList<>();
            for (int op : bestPath) {
                state = model.step(state, ops[op]);
                lines.add("    " + ops[op].describe(origin) + "  -> " + model.describe(state));
            }
            if (lines.isEmpty()) {
                sb.append("    (nothing: the register starts ").append(model.describe(initialState)).append(")\n");
            } else {
                if (lines.size() > EXPLAIN_PATH) {
                    sb.append("    ... ").append(lines.size() - EXPLAIN_PATH).append(" earlier\n");
                }
                lines.subList(Math.max(0, lines.size() - EXPLAIN_PATH), lines.size())
                        .forEach(l -> sb.append(l).append('\n'));
            }
            sb.append("  so the register holds ").append(model.describe(bestFrame.state));
            List<String> others = bestStates.stream().filter(s -> s != bestFrame.state).map(model::describe).toList();
            if (!others.isEmpty()) {
                sb.append(" (other orders of as many operations leave it ").append(String.join(", ", others))
                        .append(')');
            }
            sb.append(".\n");
            RegisterOp blocking = ops[byReturn[bestFrame.returnCursor]];
            sb.append("  Then one of these must take effect before ").append(blocking.describe())
                    .append(" completes, and none can:\n");
            for (int c : bestFrame.candidates) {
                boolean legal = model.step(bestFrame.state, ops[c]) != RegisterModel.ILLEGAL;
                sb.append("    ").append(ops[c].describe(origin)).append("  -- ")
                        .append(legal ? "possible, but no legal order of the rest follows"
                                : "impossible when the register holds " + model.describe(bestFrame.state))
                        .append('\n');
            }
            return sb.toString();
        }
    }

    private static long mixHigh(long state) {
        return mix(state + 0x9E3779B97F4A7C15L);
    }

    private static long mixLow(long state) {
        return mix(state ^ 0xC2B2AE3D27D4EB4FL);
    }

    /** SplitMix64's finaliser: spreads a state's bits over the whole word. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
