package io.corral.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.corral.server.ensemble.CheckResult.Verdict;
import io.corral.server.ensemble.RegisterOp.Kind;
import io.corral.server.ensemble.RegisterOp.Outcome;

/**
 * Histories produced by a real sequential register behind random overlapping intervals always pass; the same
 * histories with one result changed (almost always) fail. Deterministic: every history comes from its own seed.
 */
class LinearizabilityCheckerRandomTest {

    private static final int HISTORIES = 300;

    private final LinearizabilityChecker checker = new LinearizabilityChecker();

    /** An operation being generated: its interval, the instant it takes effect, and whether it is lost. */
    private static final class Planned {
        final int process;
        final String key;
        final Kind kind;
        final String value;
        final long invoke;
        final long effect;
        final long complete;
        final boolean lost;
        final boolean lostButApplied;
        int expectedVersion;

        Planned(int process, String key, Kind kind, String value, long invoke, long effect, long complete,
                boolean lost, boolean lostButApplied) {
            this.process = process;
            this.key = key;
            this.kind = kind;
            this.value = value;
            this.invoke = invoke;
            this.effect = effect;
            this.complete = complete;
            this.lost = lost;
            this.lostButApplied = lostButApplied;
        }
    }

    /** The value and version of one register in the sequential run. */
    private static final class Cell {
        String value = "init";
        int version;
    }

    /**
     * {@code processes} clients each run {@code perProcess} operations back to back on random keys; each operation
     * takes effect at a random instant inside its interval, in that order, on a sequential register. A few replies
     * are lost (the operation then took effect or not, at random). Reads report versions when {@code versions}.
     */
    static History generate(long seed, int processes, int perProcess, int keys, double lostRate, boolean versions) {
        Random random = new Random(seed);
        List<Planned> planned = new ArrayList<>();
        int unique = 0;
        for (int p = 0; p < processes; p++) {
            long t = random.nextInt(50);
            for (int i = 0; i < perProcess; i++) {
                long invoke = t + random.nextInt(20);
                long effect = invoke + 1 + random.nextInt(60);
                long complete = effect + 1 + random.nextInt(60);
                int roll = random.nextInt(10);
                Kind kind = roll < 4 ? Kind.READ : roll < 7 ? Kind.WRITE : Kind.CAS;
                boolean lost = random.nextDouble() < lostRate;
                planned.add(new Planned(p, "k" + random.nextInt(keys), kind, "v" + (unique++), invoke, effect,
                        complete, lost, lost && random.nextBoolean()));
                t = complete;
            }
        }
        planned.sort(Comparator.comparingLong(o -> o.effect));
        Map<String, Cell> cells = new HashMap<>();
        Map<String, String> initial = new HashMap<>();
        List<RegisterOp> ops = new ArrayList<>();
        for (Planned o : planned) {
            Cell cell = cells.computeIfAbsent(o.key, k -> new Cell());
            initial.put(o.key, "init");
            if (o.kind == Kind.CAS) {
                // usually the current version (wins), sometimes the one before (loses)
                o.expectedVersion = Math.max(0, cell.version - random.nextInt(2));
            }
            if (o.lost) {
                if (o.lostButApplied) {
                    apply(cell, o);
                }
                ops.add(new RegisterOp(o.process, o.key, o.kind, o.kind == Kind.READ ? null : o.value,
                        o.expectedVersion, o.invoke, RegisterOp.NEVER, Outcome.UNKNOWN, null, RegisterOp.NO_VERSION));
                continue;
            }
            switch (o.kind) {
                case READ -> ops.add(RegisterOp.read(o.process, o.key, o.invoke, o.complete, cell.value,
                        versions ? cell.version : RegisterOp.NO_VERSION));
                case WRITE -> {
                    apply(cell, o);
                    ops.add(RegisterOp.write(o.process, o.key, o.value, o.invoke, o.complete, Outcome.OK,
                            versions ? cell.version : RegisterOp.NO_VERSION));
                }
                case CAS -> {
                    boolean wins = cell.version == o.expectedVersion;
                    if (wins) {
                        apply(cell, o);
                    }
                    ops.add(RegisterOp.cas(o.process, o.key, o.expectedVersion, o.value, o.invoke, o.complete,
                            wins ? Outcome.OK : Outcome.BAD_VERSION));
                }
                default -> throw new IllegalStateException();
            }
        }
        return new History(initial, ops);
    }

    private static void apply(Cell cell, Planned o) {
        if (o.kind == Kind.WRITE || o.kind == Kind.CAS && cell.version == o.expectedVersion) {
            cell.value = o.value;
            cell.version++;
        }
    }

    /** The history with one definite result changed into another plausible-looking one. */
    static History corrupt(History h, Random random) {
        List<RegisterOp> ops = new ArrayList<>(h.ops());
        List<String> written = ops.stream().filter(op -> op.kind() != Kind.READ).map(RegisterOp::argument).toList();
        while (true) {
            int i = random.nextInt(ops.size());
            RegisterOp op = ops.get(i);
            if (op.unknown()) {
                continue;
            }
            RegisterOp changed = switch (op.kind()) {
                case READ -> {
                    String other = written.get(random.nextInt(written.size()));
                    yield other.equals(op.readValue()) ? null
                            : RegisterOp.read(op.process(), op.key(), op.invokeNanos(), op.completeNanos(), other,
                                    op.version());
                }
                case WRITE -> op.version() == RegisterOp.NO_VERSION ? null
                        : RegisterOp.write(op.process(), op.key(), op.argument(), op.invokeNanos(),
                                op.completeNanos(), Outcome.OK, op.version() + 1);
                case CAS -> RegisterOp.cas(op.process(), op.key(), op.expectedVersion(), op.argument(),
                        op.invokeNanos(), op.completeNanos(),
                        op.outcome() == Outcome.OK ? Outcome.BAD_VERSION : Outcome.OK);
                default -> null;
            };
            if (changed != null) {
                ops.set(i, changed);
                return new History(h.initialValues(), ops);
            }
        }
    }

    @Test
    void historiesOfARealRegisterAreLinearizable() {
        for (long seed = 1; seed <= HISTORIES; seed++) {
            History h = generate(seed, 2 + (int) (seed % 5), 30, 1 + (int) (seed % 3), 0.05, seed % 2 == 0);
            CheckResult r = checker.check(h);
            assertThat(r.verdict()).as("seed %d: %s", seed, r.explanation()).isEqualTo(Verdict.LINEARIZABLE);
        }
    }

    @Test
    void oneCorruptedResultIsAlmostAlwaysCaught() {
        int caught = 0;
        int undecided = 0;
        for (long seed = 1; seed <= HISTORIES; seed++) {
            History h = corrupt(generate(seed, 2 + (int) (seed % 5), 30, 1, 0.05, seed % 2 == 0),
                    new Random(seed));
            CheckResult r = checker.check(h);
            if (r.verdict() == Verdict.NOT_LINEARIZABLE) {
                caught++;
                assertThat(r.explanation()).contains("NOT linearizable").contains("none can");
            } else if (r.verdict() == Verdict.UNKNOWN) {
                undecided++;
            }
        }
        System.out.printf("corrupted histories caught: %d of %d (%d undecided)%n", caught, HISTORIES, undecided);
        assertThat(undecided).isZero();
        assertThat(caught).isGreaterThanOrEqualTo(HISTORIES * 85 / 100);
    }

    @Test
    void thousandsOfOperationsOnOneKeyNeedLittleSearch() {
        // 5 clients, 4000 operations on one key, a few lost replies: the search should walk almost straight down
        History h = generate(42, 5, 800, 1, 0.005, true);
        long t0 = System.nanoTime();
        CheckResult r = checker.check(h);
        long micros = (System.nanoTime() - t0) / 1_000;
        System.out.printf("4000 ops on one key: %s in %d us%n", r.summary(), micros);
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(r.keys().get("k0").configurations()).isLessThan(20L * h.ops().size());
        History corrupted = corrupt(h, new Random(7));
        CheckResult bad = checker.check(corrupted);
        System.out.printf("the same, one result corrupted: %s%n", bad.summary());
        assertThat(bad.verdict()).isNotEqualTo(Verdict.LINEARIZABLE);
    }
}
