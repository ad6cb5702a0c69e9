package io.corral.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FigureTableTest {
    private final FigureTable table = new FigureTable(3, "ZooKeeper", "Corral");

    @Test
    void ratiosArePerRoundAndTheirMedianIsReported() {
        table.record("set", "ops/s", "ZooKeeper", 1, 100.0);
        table.record("set", "ops/s", "ZooKeeper", 2, 200.0);
        table.record("set", "ops/s", "ZooKeeper", 3, 400.0);
        table.record("set", "ops/s", "Corral", 1, 300.0);
        table.record("set", "ops/s", "Corral", 2, 200.0);
        table.record("set", "ops/s", "Corral", 3, 2000.0);

        assertThat(table.ratios("set")).containsExactly(1.0, 3.0, 5.0);
        assertThat(table.medianRatio("set")).isEqualTo(3.0);
        assertThat(table.median("set", "ZooKeeper")).isEqualTo(200.0);
        assertThat(table.summary()).contains("| set | ops/s | 200 | 300 | 3.00 | 1.00–5.00 |");
    }

    @Test
    void aRoundMissingOnOneSideHasNoRatio() {
        table.record("kill", "ms", "ZooKeeper", 1, 800.0);
        table.record("kill", "ms", "Corral", 1, 400.0);
        table.record("kill", "ms", "ZooKeeper", 2, 900.0);
        table.record("kill", "ms", "Corral", 2, "none within 30 s");

        assertThat(table.ratios("kill")).containsExactly(0.5);
        assertThat(table.everyRound()).contains("| kill | Corral | 400 | none within 30 s | — | ");
    }

    @Test
    void withoutAnyNumberThereIsNoMedian() {
        table.record("x", "ms", "Corral", 1, "n/a");
        assertThat(table.medianRatio("x")).isNull();
        assertThat(table.median("x", "Corral")).isNull();
        assertThat(table.summary()).contains("| x | ms | — | n/a | — | — |");
    }

    @Test
    void onlyTheTwoSidesAreKnown() {
        assertThatThrownBy(() -> table.record("set", "ops/s", "etcd", 1, 1.0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
