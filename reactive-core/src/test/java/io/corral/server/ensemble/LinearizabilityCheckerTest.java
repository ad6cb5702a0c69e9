package io.corral.server.ensemble;

import static io.corral.server.ensemble.RegisterOp.NEVER;
import static io.corral.server.ensemble.RegisterOp.NO_VERSION;
import static io.corral.server.ensemble.RegisterOp.Outcome.BAD_VERSION;
import static io.corral.server.ensemble.RegisterOp.Outcome.NODE_EXISTS;
import static io.corral.server.ensemble.RegisterOp.Outcome.NO_NODE;
import static io.corral.server.ensemble.RegisterOp.Outcome.OK;
import static io.corral.server.ensemble.RegisterOp.Outcome.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.corral.server.ensemble.CheckResult.Verdict;

/** Hand-built histories on one register "k" that starts as "init" at version 0 (times are plain numbers). */
class LinearizabilityCheckerTest {

    private final LinearizabilityChecker checker = new LinearizabilityChecker();

    private static RegisterOp write(int process, String value, long invoke, long complete) {
        return RegisterOp.write(process, "k", value, invoke, complete, OK, NO_VERSION);
    }

    private static RegisterOp lostWrite(int process, String value, long invoke) {
        return RegisterOp.write(process, "k", value, invoke, NEVER, UNKNOWN, NO_VERSION);
    }

    private static RegisterOp read(int process, String value, long invoke, long complete) {
        return RegisterOp.read(process, "k", invoke, complete, value, NO_VERSION);
    }

    private CheckResult check(RegisterOp... ops) {
        return checker.check(new History(Map.of("k", "init"), List.of(ops)));
    }

    @Test
    void sequentialWritesAndReads() {
        CheckResult r = check(
                read(1, "init", 0, 5),
                write(1, "a", 10, 20),
                read(2, "a", 30, 40),
                write(2, "b", 50, 60),
                read(1, "b", 70, 80));
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(r.explanation()).isEmpty();
    }

    @Test
    void staleReadAfterANewerWriteCompleted() {
        CheckResult r = check(
                write(1, "a", 0, 10),
                write(1, "b", 20, 30),
                read(2, "a", 40, 50));
        System.out.println(r.explanation()); // what a failure looks like
        assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(r.explanation())
                .contains("key k: NOT linearizable")
                .contains("c2 read = \"a\"")
                .contains("impossible when the register holds \"b\"");
    }

    @Test
    void acknowledgedWriteLost() {
        CheckResult r = check(
                write(1, "a", 0, 10),
                read(2, "init", 20, 30));
        assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(r.explanation()).contains("c2 read = \"init\"").contains("holds \"a\"");
    }

    @Test
    void readOfAValueNobodyWrote() {
        CheckResult r = check(
                write(1, "a", 0, 10),
                read(2, "ghost", 5, 30));
        assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(r.explanation()).contains("c2 read = \"ghost\"");
    }

    @Test
    void concurrentWritesMayTakeEffectInEitherOrder() {
        RegisterOp a = write(1, "a", 0, 100);
        RegisterOp b = write(2, "b", 10, 90);
        assertThat(check(a, b, read(3, "a", 110, 120)).verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(check(a, b, read(3, "b", 110, 120)).verdict()).isEqualTo(Verdict.LINEARIZABLE);
        // a read during both may see either, or neither
        assertThat(check(a, b, read(3, "init", 20, 30), read(4, "b", 40, 50), read(3, "a", 110, 120)).verdict())
                .isEqualTo(Verdict.LINEARIZABLE);
        // but once both are done, only one of them is last
        CheckResult r = check(a, b, read(3, "a", 110, 120), read(4, "b", 130, 140));
        System.out.println(r.explanation());
        assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(r.explanation()).contains("c4 read = \"b\"");
    }

    @Test
    void readsConcurrentWithAWriteSeeItOnceAndForAll() {
        RegisterOp w = write(1, "a", 0, 100);
        assertThat(check(w, read(2, "init", 10, 20), read(3, "a", 30, 40)).verdict())
                .isEqualTo(Verdict.LINEARIZABLE);
        // seeing the new value, then the old one again, is not
        assertThat(check(w, read(2, "a", 10, 20), read(3, "init", 30, 40)).verdict())
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void unknownOutcomeWriteThatTookEffect() {
        CheckResult r = check(
                lostWrite(1, "x", 0),
                read(2, "init", 10, 20),
                read(2, "x", 500, 510),
                read(3, "x", 600, 610));
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void unknownOutcomeWriteThatNeverTookEffect() {
        CheckResult r = check(
                lostWrite(1, "x", 0),
                write(2, "y", 100, 110),
                read(3, "y", 500, 510));
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void unknownOutcomeWriteCannotTakeEffectBeforeItWasSent() {
        CheckResult r = check(
                read(2, "x", 0, 10),
                lostWrite(1, "x", 20));
        assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void unknownOutcomeWriteTakesEffectOnlyOnce() {
        // x appears, is overwritten by y, then x is back: a lost write cannot apply twice
        CheckResult r = check(
                lostWrite(1, "x", 0),
                read(2, "x", 10, 20),
                write(3, "y", 30, 40),
                read(2, "x", 50, 60));
        assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void unknownOutcomeReadsConstrainNothing() {
        CheckResult r = check(
                write(1, "a", 0, 10),
                new RegisterOp(2, "k", RegisterOp.Kind.READ, null, 0, 20, NEVER, UNKNOWN, null, NO_VERSION));
        assertThat(r.verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void versionsAreCheckedLikeZooKeeperSetData() {
        RegisterOp w1 = RegisterOp.write(1, "k", "a", 0, 10, OK, 1);
        RegisterOp w2 = RegisterOp.write(1, "k", "b", 20, 30, OK, 2);
        assertThat(check(w1, w2, RegisterOp.read(2, "k", 40, 50, "b", 2)).verdict())
                .isEqualTo(Verdict.LINEARIZABLE);
        // the right value with the wrong version
        assertThat(check(w1, w2, RegisterOp.read(2, "k", 40, 50, "b", 1)).verdict())
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
        // two acknowledged writes that both claim version 1
        assertThat(check(w1, RegisterOp.write(2, "k", "c", 5, 15, OK, 1)).verdict())
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void conditionalWrites() {
        RegisterOp winner = RegisterOp.cas(1, "k", 0, "a", 0, 100, OK);
        RegisterOp loser = RegisterOp.cas(2, "k", 0, "b", 10, 90, BAD_VERSION);
        assertThat(check(winner, loser, RegisterOp.read(3, "k", 110, 120, "a", 1)).verdict())
                .isEqualTo(Verdict.LINEARIZABLE);
        // both cannot win on the same version
        CheckResult r = check(winner, RegisterOp.cas(2, "k", 0, "b", 10, 90, OK));
        assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(r.explanation()).contains("cas(v0 -> ");
        // a cas that lost although nothing changed the version
        assertThat(check(RegisterOp.cas(1, "k", 0, "a", 0, 10, BAD_VERSION)).verdict())
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
        // a lost cas reply: it may have won, then the read sees it
        RegisterOp lostCas = new RegisterOp(1, "k", RegisterOp.Kind.CAS, "z", 0, 0, NEVER, UNKNOWN, null,
                NO_VERSION);
        assertThat(check(lostCas, RegisterOp.read(2, "k", 10, 20, "z", 1)).verdict())
                .isEqualTo(Verdict.LINEARIZABLE);
        // but it could not have won on a version that had already moved on
        assertThat(check(write(3, "q", 0, 5), RegisterOp.cas(1, "k", 0, "z", 10, NEVER, UNKNOWN),
                RegisterOp.read(2, "k", 30, 40, "z", NO_VERSION)).verdict())
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void registersThatStartAbsent() {
        History h = new History(Map.of(), List.of(
                RegisterOp.read(1, "n", 0, 10, null, NO_VERSION),
                RegisterOp.write(1, "n", "early", 12, 14, NO_NODE, NO_VERSION),
                RegisterOp.create(2, "n", "a", 20, 30, OK),
                RegisterOp.create(3, "n", "b", 25, 35, NODE_EXISTS),
                RegisterOp.read(1, "n", 40, 50, "a", 0)));
        assertThat(checker.check(h).verdict()).isEqualTo(Verdict.LINEARIZABLE);
        History absentAfterCreate = new History(Map.of(), List.of(
                RegisterOp.create(2, "n", "a", 20, 30, OK),
                RegisterOp.read(1, "n", 40, 50, null, NO_VERSION)));
        assertThat(checker.check(absentAfterCreate).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void keysAreCheckedSeparatelyAndTheFailingOneIsNamed() {
        History h = new History(Map.of("k", "init", "other", "init"), List.of(
                write(1, "a", 0, 10),
                read(2, "a", 20, 30),
                RegisterOp.write(1, "other", "b", 0, 10, OK, NO_VERSION),
                RegisterOp.read(2, "other", 20, 30, "init", NO_VERSION)));
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(r.keys().get("k").verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(r.keys().get("other").verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(r.explanation()).startsWith("key other: NOT linearizable").doesNotContain("key k:");
    }

    @Test
    void writesOnlyCheckIgnoresStaleReads() {
        History h = new History(Map.of("k", "init"), List.of(
                write(1, "a", 0, 10),
                read(2, "init", 20, 30)));
        assertThat(checker.check(h).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(checker.check(h.withoutReads()).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void aSearchThatExceedsItsBudgetSaysSoInsteadOfRunningOn() {
        // 12 overlapping lost writes and a read of a value none wrote: proving it wrong means trying every subset
        List<RegisterOp> ops = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ops.add(lostWrite(i, "w" + i, i));
        }
        ops.add(read(99, "nobody", 100, 110));
        History h = new History(Map.of("k", "init"), ops);
        CheckResult bounded = new LinearizabilityChecker(1_000).check(h);
        assertThat(bounded.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(bounded.explanation()).contains("gave up after 1000 configurations");
        assertThat(new LinearizabilityChecker().check(h).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }
}
