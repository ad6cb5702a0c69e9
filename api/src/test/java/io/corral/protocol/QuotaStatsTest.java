package io.corral.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** ZooKeeper's StatsTrack text: the old two-figure form, 3.9's form with hard limits, and what reads as -1. */
class QuotaStatsTest {

    @Test
    void countAndBytesAloneKeepTheOldForm() {
        QuotaStats stats = new QuotaStats().set(QuotaStats.BYTES, 7).set(QuotaStats.COUNT, 2);
        assertThat(stats.toString()).isEqualTo("count=2,bytes=7");
        assertThat(QuotaStats.parse("count=2,bytes=7")).isEqualTo(stats);
    }

    @Test
    void hardLimitsFollowAnExtraEqualsSortedByName() {
        QuotaStats limits = new QuotaStats().set(QuotaStats.COUNT, 5).set(QuotaStats.COUNT_HARD_LIMIT, 10)
                .set(QuotaStats.BYTES, -1).set(QuotaStats.BYTE_HARD_LIMIT, -1);
        String text = "count=5,bytes=-1=;byteHardLimit=-1;countHardLimit=10";
        assertThat(limits.toString()).isEqualTo(text);
        QuotaStats parsed = QuotaStats.parse(text);
        assertThat(parsed).isEqualTo(limits);
        assertThat(parsed.countHardLimit()).isEqualTo(10);
        assertThat(parsed.byteHardLimit()).isEqualTo(-1);
    }

    @Test
    void missingFiguresAndEmptyValuesReadMinusOne() {
        assertThat(new QuotaStats().toString()).isEqualTo("count=-1,bytes=-1");
        QuotaStats empty = QuotaStats.parse((byte[]) null);
        assertThat(empty.count()).isEqualTo(-1);
        assertThat(QuotaStats.parse("count=,bytes=3").count()).isEqualTo(-1);
        assertThat(QuotaStats.parse("count=,bytes=3").bytes()).isEqualTo(3);
    }

    @Test
    void textThatIsNoFigureIsRefused() {
        assertThatThrownBy(() -> QuotaStats.parse("count=two")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count=two");
    }

    @Test
    void quotaNodePaths() {
        assertThat(QuotaStats.limitPath("/a/b")).isEqualTo("/zookeeper/quota/a/b/zookeeper_limits");
        assertThat(QuotaStats.statPath("/a")).isEqualTo("/zookeeper/quota/a/zookeeper_stats");
        assertThat(QuotaStats.quotaPath("/a")).isEqualTo("/zookeeper/quota/a");
    }
}
