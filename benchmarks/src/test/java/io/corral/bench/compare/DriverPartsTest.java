package io.corral.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The pieces Compare, ClientCompare and EnsembleCompare share: options, notes, the deadline, a load-tool outcome. */
class DriverPartsTest {

    @Test
    void optionsTakeValuesAndFlagsInOrder() {
        Map<String, String> o = DriverCli.options("t", new String[]{"--rounds", "2", "--quick", "--out", "x.md"},
                Set.of("rounds", "quick", "out"), Set.of("quick"));
        assertThat(o).containsExactly(Map.entry("rounds", "2"), Map.entry("quick", "true"), Map.entry("out", "x.md"));
    }

    @Test
    void notesGoToTheLogAndTheReport() {
        List<String> log = new ArrayList<>();
        RunNotes notes = new RunNotes(log::add);
        notes.add("Corral", 2, "set: 3 requests failed");
        StringBuilder md = new StringBuilder();
        notes.appendTo(md);
        assertThat(md).hasToString("- round 2, Corral: set: 3 requests failed\n");
        assertThat(log).containsExactly("  NOTE round 2, Corral: set: 3 requests failed");
    }

    @Test
    void aPassedDeadlineIsLoggedOnceAndRemembered() {
        List<String> log = new ArrayList<>();
        RunDeadline over = new RunDeadline(-1, log::add);
        assertThat(over.reached()).isFalse();
        assertThat(over.passed()).isTrue();
        assertThat(over.passed()).isTrue();
        assertThat(over.reached()).isTrue();
        assertThat(over.secondsLeft()).isNegative();
        assertThat(log).containsExactly("time limit reached: skipping the rest");

        RunDeadline ahead = new RunDeadline(10, log::add);
        assertThat(ahead.passed()).isFalse();
        assertThat(ahead.reached()).isFalse();
        assertThat(ahead.secondsLeft()).isBetween(590L, 600L);
    }

    @Test
    void anOutcomeSaysWhatToNote() {
        assertThat(new LoadToolRun.Outcome(null, null, "load tool failed (exit 1)").problem())
                .isEqualTo("load tool failed (exit 1)");
        assertThat(new LoadToolRun.Outcome(Map.of("errors", 0.0), "{}", null).problem()).isNull();
        assertThat(new LoadToolRun.Outcome(Map.of("errors", 3.0, "firstErrorCode", -101.0), "{}", null).problem())
                .isEqualTo("3 requests failed (first error code -101.0)");
    }

    @Test
    void aQuietMachineGetsNoBusyWarning() {
        assertThat(RunFacts.busyWarning("0.00 0.00 0.00 1/100 1", "0.00 0.00 0.00 1/100 2")).isEmpty();
        assertThat(RunFacts.busyWarning("999.0 0 0 1/1 1", "0.00")).contains("the machine was busy");
    }
}
