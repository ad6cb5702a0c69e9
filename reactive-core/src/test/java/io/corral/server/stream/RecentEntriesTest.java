package io.corral.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.protocol.EventType;
import io.corral.protocol.StreamChange;
import org.junit.jupiter.api.Test;

import java.util.List;

/** The hub's memory of the last entries: contiguous, found by the zxid a subscription stands at, bounded. */
class RecentEntriesTest {

    private static List<StreamChange> change(int dataBytes) {
        return List.of(new StreamChange(EventType.NODE_DATA_CHANGED, "/n", 1, 0, new byte[dataBytes]));
    }

    @Test
    void findsTheEntryAfterAZxidItHoldsOrTheOneBeforeItsOldest() {
        RecentEntries recent = new RecentEntries(4, 1 << 20);
        assertThat(recent.positionAfter(5)).isEqualTo(-1);
        for (long z = 6; z <= 9; z++) {
            recent.add(z - 1, z, z * 10, change(1));
        }
        assertThat(recent.positionAfter(5)).isZero();
        assertThat(recent.zxid(recent.positionAfter(7))).isEqualTo(8);
        assertThat(recent.time(recent.positionAfter(7))).isEqualTo(80);
        assertThat(recent.positionAfter(9)).as("nothing after the newest").isEqualTo(-1);
        assertThat(recent.positionAfter(4)).as("older than what it holds").isEqualTo(-1);

        recent.add(9, 10, 100, change(1)); // full: the oldest goes, and the zxid before the oldest moves with it
        assertThat(recent.size()).isEqualTo(4);
        assertThat(recent.positionAfter(5)).isEqualTo(-1);
        assertThat(recent.zxid(recent.positionAfter(6))).isEqualTo(7);
    }

    @Test
    void startsOverOnAnEntryThatDoesNotFollowAndKeepsToItsBytes() {
        RecentEntries recent = new RecentEntries(16, 1_000);
        recent.add(0, 1, 0, change(1));
        recent.add(1, 2, 0, change(1));
        recent.add(0, 1, 0, change(1)); // held already: nothing changes
        assertThat(recent.size()).isEqualTo(2);
        recent.add(7, 8, 0, change(1)); // neither held nor after 2: a reader ahead of it, the memory starts there
        assertThat(recent.size()).isEqualTo(1);
        assertThat(recent.positionAfter(1)).isEqualTo(-1);
        assertThat(recent.positionAfter(7)).isZero();

        for (long z = 9; z < 20; z++) {
            recent.add(z - 1, z, 0, change(400)); // ~460 bytes each: two fit
        }
        assertThat(recent.size()).isEqualTo(2);
        assertThat(recent.zxid(0)).isEqualTo(18);
        assertThat(recent.positionAfter(17)).isZero();
    }
}
