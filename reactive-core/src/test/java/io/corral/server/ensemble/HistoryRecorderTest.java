package io.corral.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import io.corral.server.ensemble.RegisterOp.Kind;
import io.corral.server.ensemble.RegisterOp.Outcome;

class HistoryRecorderTest {

    @Test
    void recordsFromManyThreadsWithTimesInOrder() throws InterruptedException {
        int threads = 4;
        int perThread = 500;
        HistoryRecorder recorder = new HistoryRecorder(threads * perThread);
        recorder.initial("k", "init");
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int process = t;
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    HistoryRecorder.Pending p = recorder.invoke(process, "k", Kind.READ, null, 0);
                    p.read("init", 0);
                }
            });
            workers.add(w);
            w.start();
        }
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        History h = recorder.history();
        assertThat(h.ops()).hasSize(threads * perThread);
        assertThat(h.initialValues()).isEqualTo(Map.of("k", "init"));
        assertThat(h.ops()).allMatch(op -> op.completeNanos() >= op.invokeNanos() && op.outcome() == Outcome.OK);
        assertThat(new LinearizabilityChecker().check(h).linearizable()).isTrue();
    }

    @Test
    void theFirstCompletionCountsAndAnUnansweredOperationHasAnUnknownOutcome() {
        HistoryRecorder recorder = new HistoryRecorder(3);
        HistoryRecorder.Pending applied = recorder.invoke(1, "k", Kind.CAS, "a", 0);
        assertThat(applied.applied(1)).isTrue();
        assertThat(applied.unknown()).isFalse();
        HistoryRecorder.Pending lost = recorder.invoke(1, "k", Kind.WRITE, "b", 0);
        assertThat(lost.unknown()).isTrue();
        assertThat(lost.applied(2)).isFalse();
        recorder.invoke(2, "k", Kind.WRITE, "c", 0); // never answered
        List<RegisterOp> ops = recorder.history().ops();
        assertThat(ops).extracting(RegisterOp::outcome).containsExactly(Outcome.OK, Outcome.UNKNOWN, Outcome.UNKNOWN);
        assertThat(ops.get(0).version()).isEqualTo(1);
        assertThat(ops.get(2).completeNanos()).isEqualTo(RegisterOp.NEVER);
    }

    @Test
    void aFullRecorderRefusesMore() {
        HistoryRecorder recorder = new HistoryRecorder(1);
        recorder.invoke(1, "k", Kind.READ, null, 0).read(null, RegisterOp.NO_VERSION);
        assertThatThrownBy(() -> recorder.invoke(1, "k", Kind.READ, null, 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("history full");
        assertThat(recorder.size()).isEqualTo(1);
        assertThat(recorder.history().ops().get(0).outcome()).isEqualTo(Outcome.NO_NODE);
    }

    @Test
    void definiteFailuresAreNotConfusedWithLostReplies() {
        HistoryRecorder recorder = new HistoryRecorder(2);
        assertThatThrownBy(() -> recorder.invoke(1, "k", Kind.CAS, "a", 3).failed(Outcome.UNKNOWN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(recorder.invoke(1, "k", Kind.CAS, "a", 3).failed(Outcome.BAD_VERSION)).isTrue();
    }
}
