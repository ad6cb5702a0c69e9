package io.corral.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Expiry is driven by an explicit clock: every "now" below is a number the test chooses. */
class SessionTrackerTest {
    private static final int TICK = 2_000;
    private static final long START = 1_700_000_000_000L;

    private final SessionTracker tracker = new SessionTracker(TICK, 1, START);

    private Session add(int timeout, long now) {
        return tracker.add(tracker.nextSessionId(), tracker.newPassword(), timeout, now);
    }

    @Test
    void sessionExpiresAtTheFirstTickBoundaryAfterLastContactPlusTimeout() {
        Session s = add(4_000, 10_500);
        // 10,500 + 4,000 = 14,500 -> next boundary 16,000
        assertThat(s.expiresAt()).isEqualTo(16_000);
        assertThat(tracker.expire(14_500)).isEmpty();
        assertThat(tracker.expire(15_999)).isEmpty();
        assertThat(s.isClosing()).isFalse();
        assertThat(tracker.expire(16_000)).containsExactly(s);
        assertThat(s.isClosing()).isTrue();
        assertThat(tracker.expire(100_000)).as("reported once").isEmpty();
        // still known until its closeSession txn removes it
        assertThat(tracker.get(s.id())).isSameAs(s);
        tracker.remove(s.id());
        assertThat(tracker.get(s.id())).isNull();
        assertThat(tracker.size()).isZero();
    }

    @Test
    void aFormerLeadersClosingMarksAreUndoneWithAFullTimeoutWhenItFollows() {
        Session expired = add(4_000, 10_000);
        Session live = add(4_000, 30_000);
        assertThat(tracker.expire(16_000)).containsExactly(expired); // the leader froze, woke and expired it
        assertThat(tracker.validate(expired.id(), expired.password())).as("refused while closing").isNull();

        tracker.reopenClosing(20_500); // it follows a new leader whose history has no closeSession for it
        assertThat(tracker.validate(expired.id(), expired.password())).isSameAs(expired);
        assertThat(expired.isClosing()).isFalse();
        assertThat(expired.expiresAt()).isEqualTo(26_000); // 20,500 + 4,000 -> the next boundary
        assertThat(live.expiresAt()).as("untouched").isEqualTo(36_000);
        assertThat(tracker.expire(26_000)).containsExactly(expired);
    }

    @Test
    void anExactBoundaryStillRoundsUpToTheNextTick() {
        Session s = add(4_000, 10_000);
        assertThat(s.expiresAt()).isEqualTo(16_000);
    }

    @Test
    void sessionsInOneBucketExpireTogetherAndLaterBucketsWait() {
        Session a = add(4_000, 10_100);
        Session b = add(4_000, 11_900);
        Session c = add(6_000, 10_000);
        assertThat(a.expiresAt()).isEqualTo(b.expiresAt()).isEqualTo(16_000);
        assertThat(c.expiresAt()).isEqualTo(18_000);
        assertThat(tracker.expiryBuckets()).containsExactly(
                Map.entry(16_000L, List.of(a.id(), b.id())), Map.entry(18_000L, List.of(c.id())));

        assertThat(tracker.expire(17_999)).containsExactlyInAnyOrder(a, b);
        assertThat(tracker.expiryBuckets()).containsOnlyKeys(18_000L);
        assertThat(tracker.expire(18_000)).containsExactly(c);
        assertThat(tracker.expiryBuckets()).isEmpty();
    }

    @Test
    void aLateCheckExpiresEveryOverdueBucket() {
        Session a = add(4_000, 10_000);
        Session b = add(10_000, 10_000);
        assertThat(tracker.expire(1_000_000)).containsExactly(a, b);
    }

    @Test
    void touchMovesTheSessionToALaterBucket() {
        Session s = add(4_000, 10_500);
        tracker.touch(s, 13_000);
        assertThat(s.expiresAt()).isEqualTo(18_000);
        assertThat(tracker.expiryBuckets()).containsExactly(Map.entry(18_000L, List.of(s.id())));
        assertThat(tracker.expire(16_000)).isEmpty();
        assertThat(tracker.expire(17_999)).isEmpty();
        assertThat(tracker.expire(18_000)).containsExactly(s);
    }

    @Test
    void touchWithinTheSameTickKeepsTheBucket() {
        Session s = add(4_000, 10_100);
        tracker.touch(s, 11_900);
        assertThat(s.expiresAt()).isEqualTo(16_000);
        assertThat(tracker.expiryBuckets()).containsExactly(Map.entry(16_000L, List.of(s.id())));
    }

    @Test
    void setTimeoutChangesTheTimeoutAndTheBucket() {
        Session s = add(4_000, 10_000);
        tracker.setTimeout(s, 20_000, 10_000);
        assertThat(s.timeout()).isEqualTo(20_000);
        assertThat(s.expiresAt()).isEqualTo(32_000);
        assertThat(tracker.expire(31_999)).isEmpty();
        assertThat(tracker.expire(32_000)).containsExactly(s);
    }

    @Test
    void aClosingSessionNeverExpiresAndIgnoresTouches() {
        Session s = add(4_000, 10_000);
        tracker.markClosing(s);
        assertThat(s.isClosing()).isTrue();
        assertThat(tracker.expiryBuckets()).isEmpty();
        tracker.touch(s, 50_000);
        assertThat(tracker.expiryBuckets()).isEmpty();
        assertThat(tracker.expire(Long.MAX_VALUE / 2)).isEmpty();
    }

    @Test
    void removeTakesTheSessionOutOfItsBucket() {
        Session s = add(4_000, 10_000);
        Session other = add(4_000, 10_000);
        tracker.remove(s.id());
        assertThat(tracker.expire(16_000)).containsExactly(other);
        tracker.remove(12345L);
    }

    @Test
    void validateChecksExistencePasswordAndClosing() {
        Session s = add(4_000, 10_000);
        byte[] password = s.password().clone();
        assertThat(tracker.validate(s.id(), password)).isSameAs(s);

        byte[] wrong = password.clone();
        wrong[15] ^= 1;
        assertThat(tracker.validate(s.id(), wrong)).isNull();
        assertThat(tracker.validate(s.id(), null)).isNull();
        assertThat(tracker.validate(s.id(), new byte[0])).isNull();
        assertThat(tracker.validate(s.id(), java.util.Arrays.copyOf(password, 17))).isNull();
        assertThat(tracker.validate(s.id() + 1, password)).as("unknown id").isNull();

        tracker.markClosing(s);
        assertThat(tracker.validate(s.id(), password)).as("closing").isNull();
    }

    @Test
    void anExpiredSessionNoLongerValidates() {
        Session s = add(4_000, 10_000);
        tracker.expire(16_000);
        assertThat(tracker.validate(s.id(), s.password())).isNull();
    }

    @Test
    void passwordsAreSixteenRandomBytes() {
        byte[] a = tracker.newPassword();
        byte[] b = tracker.newPassword();
        assertThat(a).hasSize(16);
        assertThat(b).hasSize(16).isNotEqualTo(a);
    }

    @Test
    void sessionIdsCarryTheServerIdAndStartTimeAndAreUnique() {
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            long id = tracker.nextSessionId();
            assertThat(id >>> 56).isEqualTo(1);
            assertThat((id >>> 16) & 0xFF_FFFF_FFFFL).isEqualTo(START & 0xFF_FFFF_FFFFL);
            assertThat(ids.add(id)).as("id %x unique", id).isTrue();
        }
    }

    @Test
    void whenTheCounterWrapsLiveSessionIdsAreSkipped() {
        long first = tracker.nextSessionId();
        tracker.add(first, tracker.newPassword(), 4_000, 0);
        long second = tracker.nextSessionId();
        tracker.add(second, tracker.newPassword(), 4_000, 0);
        for (int i = 2; i < 0x10000; i++) {
            tracker.nextSessionId();
        }
        // the 16-bit counter is back at the first two ids, which are live
        long next = tracker.nextSessionId();
        assertThat(next).isNotIn(first, second);
        assertThat(next & 0xFFFF).isEqualTo((first + 2) & 0xFFFF);
    }

    @Test
    void sessionIdZeroIsNeverHandedOut() {
        SessionTracker zeroBase = new SessionTracker(TICK, 0, 0);
        assertThat(zeroBase.nextSessionId()).isNotZero();
    }
}
