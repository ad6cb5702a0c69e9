package io.corral.server.watch;

import static io.corral.protocol.EventType.NODE_CHILDREN_CHANGED;
import static io.corral.protocol.EventType.NODE_CREATED;
import static io.corral.protocol.EventType.NODE_DATA_CHANGED;
import static io.corral.protocol.EventType.NODE_DELETED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.protocol.EventType;
import io.corral.protocol.WatcherType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchManagerTest {
    private final WatchManager<String> watches = new WatchManager<>();

    /** The watchers one event reaches, in delivery order, duplicates kept (there must be none). */
    private List<String> trigger(String path, int eventType) {
        List<String> reached = new ArrayList<>();
        watches.trigger(path, eventType, reached::add);
        return reached;
    }

    // --- one-shot ----------------------------------------------------------------------------------------------

    @Test
    void dataWatchFiresOnceThenIsGone() {
        watches.add("/a", WatchKind.DATA, "c1");
        assertThat(trigger("/a", NODE_DATA_CHANGED)).containsExactly("c1");
        assertThat(trigger("/a", NODE_DATA_CHANGED)).isEmpty();
        assertThat(watches.has("/a", WatchKind.bitsFor(WatcherType.ANY), "c1")).isFalse();
        assertThat(watches.watchCount()).isZero();
        assertThat(watches.watcherCount()).isZero();
    }

    @Test
    void isEmptyOnlyWhileNoWatchOfAnyKindIsSet() {
        assertThat(watches.isEmpty()).isTrue();
        watches.add("/a", WatchKind.DATA, "c1");
        watches.add("/b", WatchKind.RECURSIVE, "c2");
        assertThat(watches.isEmpty()).isFalse();
        trigger("/a", NODE_DATA_CHANGED);
        assertThat(watches.isEmpty()).isFalse(); // c2's recursive watch stays
        watches.removeAll("c2");
        assertThat(watches.isEmpty()).isTrue();
    }

    @Test
    void dataWatchOnAMissingNodeFiresOnCreate() {
        watches.add("/later", WatchKind.DATA, "c1");
        assertThat(trigger("/later", NODE_CHILDREN_CHANGED)).isEmpty();
        assertThat(trigger("/later", NODE_CREATED)).containsExactly("c1");
        assertThat(trigger("/later", NODE_CREATED)).isEmpty();
    }

    @Test
    void childWatchFiresOnChildrenChangedAndDeleteButNotOnDataChanges() {
        watches.add("/a", WatchKind.CHILD, "c1");
        assertThat(trigger("/a", NODE_DATA_CHANGED)).isEmpty();
        assertThat(trigger("/a", NODE_CREATED)).isEmpty();
        assertThat(trigger("/a", NODE_CHILDREN_CHANGED)).containsExactly("c1");
        assertThat(trigger("/a", NODE_CHILDREN_CHANGED)).isEmpty();

        watches.add("/a", WatchKind.CHILD, "c1");
        assertThat(trigger("/a", NODE_DELETED)).containsExactly("c1");
        assertThat(trigger("/a", NODE_CHILDREN_CHANGED)).isEmpty();
    }

    @Test
    void dataWatchIsNotFiredByChildrenChanged() {
        watches.add("/a", WatchKind.DATA, "c1");
        assertThat(trigger("/a", NODE_CHILDREN_CHANGED)).isEmpty();
        assertThat(watches.has("/a", WatchKind.bitsFor(WatcherType.DATA), "c1")).isTrue();
    }

    @Test
    void firingOneKindKeepsTheOtherKindOnTheSamePath() {
        watches.add("/a", WatchKind.DATA, "c1");
        watches.add("/a", WatchKind.CHILD, "c1");
        assertThat(trigger("/a", NODE_DATA_CHANGED)).containsExactly("c1");
        assertThat(watches.has("/a", WatchKind.bitsFor(WatcherType.DATA), "c1")).isFalse();
        assertThat(watches.has("/a", WatchKind.bitsFor(WatcherType.CHILDREN), "c1")).isTrue();
        assertThat(watches.pathsOf("c1")).containsExactly("/a");
        assertThat(trigger("/a", NODE_CHILDREN_CHANGED)).containsExactly("c1");
        assertThat(watches.pathsOf("c1")).isEmpty();
        assertThat(watches.watcherCount()).isZero();
    }

    @Test
    void oneShotWatchesOfOtherPathsAndWatchersAreUntouched() {
        watches.add("/a", WatchKind.DATA, "c1");
        watches.add("/a", WatchKind.DATA, "c2");
        watches.add("/b", WatchKind.DATA, "c1");
        assertThat(trigger("/a", NODE_DATA_CHANGED)).containsExactlyInAnyOrder("c1", "c2");
        assertThat(trigger("/b", NODE_DELETED)).containsExactly("c1");
    }

    // --- persistent and recursive --------------------------------------------------------------------------------

    @Test
    void persistentWatchStaysAndSeesDataChildAndDeleteEvents() {
        watches.add("/p", WatchKind.PERSISTENT, "c1");
        assertThat(trigger("/p", NODE_CREATED)).containsExactly("c1");
        assertThat(trigger("/p", NODE_DATA_CHANGED)).containsExactly("c1");
        assertThat(trigger("/p", NODE_CHILDREN_CHANGED)).containsExactly("c1");
        assertThat(trigger("/p", NODE_DELETED)).containsExactly("c1");
        assertThat(trigger("/p", NODE_CREATED)).as("still there after the node was deleted").containsExactly("c1");
        // not recursive: a child's events do not reach it
        assertThat(trigger("/p/child", NODE_CREATED)).isEmpty();
        assertThat(watches.watchCount()).isOne();
    }

    @Test
    void recursiveWatchSeesTheNodeAndEveryDescendantButNoChildrenChanged() {
        watches.add("/r", WatchKind.RECURSIVE, "c1");
        assertThat(trigger("/r", NODE_CREATED)).containsExactly("c1");
        assertThat(trigger("/r/a", NODE_CREATED)).containsExactly("c1");
        assertThat(trigger("/r/a/b/c", NODE_DATA_CHANGED)).containsExactly("c1");
        assertThat(trigger("/r/a/b/c", NODE_DELETED)).containsExactly("c1");
        assertThat(trigger("/r", NODE_CHILDREN_CHANGED)).isEmpty();
        assertThat(trigger("/r/a", NODE_CHILDREN_CHANGED)).isEmpty();
        // segment-aware: /rx and / are not below /r
        assertThat(trigger("/rx", NODE_CREATED)).isEmpty();
        assertThat(trigger("/rx/a", NODE_CREATED)).isEmpty();
        assertThat(trigger("/", NODE_DATA_CHANGED)).isEmpty();
        assertThat(watches.watchCount()).isOne();
    }

    @Test
    void recursiveWatchOnTheRootSeesEverything() {
        watches.add("/", WatchKind.RECURSIVE, "c1");
        assertThat(trigger("/", NODE_DATA_CHANGED)).containsExactly("c1");
        assertThat(trigger("/a", NODE_CREATED)).containsExactly("c1");
        assertThat(trigger("/zookeeper/config", NODE_DATA_CHANGED)).containsExactly("c1");
    }

    @Test
    void recursiveWatchesOnSeveralAncestorsReachEachWatcherOnce() {
        watches.add("/", WatchKind.RECURSIVE, "c1");
        watches.add("/a", WatchKind.RECURSIVE, "c1");
        watches.add("/a/b", WatchKind.RECURSIVE, "c2");
        assertThat(trigger("/a/b/c", NODE_CREATED)).containsExactlyInAnyOrder("c1", "c2");
        assertThat(trigger("/a/x", NODE_CREATED)).containsExactly("c1");
    }

    // --- de-duplication ------------------------------------------------------------------------------------------

    @Test
    void oneEventPerWatcherPerTriggerHoweverManyWatchesMatch() {
        watches.add("/d", WatchKind.DATA, "c1");
        watches.add("/d", WatchKind.CHILD, "c1");
        watches.add("/d", WatchKind.PERSISTENT, "c1");
        watches.add("/d", WatchKind.RECURSIVE, "c1");
        watches.add("/", WatchKind.RECURSIVE, "c1");
        watches.add("/d", WatchKind.DATA, "c2");
        assertThat(trigger("/d", NODE_DELETED)).containsExactlyInAnyOrder("c1", "c2");
        // the one-shot watches were consumed, the others stay
        assertThat(watches.has("/d", WatchKind.bitsFor(WatcherType.DATA), "c1")).isFalse();
        assertThat(watches.has("/d", WatchKind.bitsFor(WatcherType.CHILDREN), "c1")).isFalse();
        assertThat(watches.has("/d", WatchKind.bitsFor(WatcherType.PERSISTENT), "c1")).isTrue();
        assertThat(watches.has("/d", WatchKind.bitsFor(WatcherType.PERSISTENT_RECURSIVE), "c1")).isTrue();
        assertThat(trigger("/d", NODE_DATA_CHANGED)).containsExactly("c1");
    }

    @Test
    void addingTheSameWatchTwiceKeepsOneWatch() {
        watches.add("/a", WatchKind.DATA, "c1");
        watches.add("/a", WatchKind.DATA, "c1");
        watches.add("/a", WatchKind.RECURSIVE, "c1");
        watches.add("/a", WatchKind.RECURSIVE, "c1");
        assertThat(watches.watchCount()).isEqualTo(2);
        assertThat(trigger("/a", NODE_DATA_CHANGED)).containsExactly("c1");
        assertThat(watches.remove("/a", WatchKind.bitsFor(WatcherType.PERSISTENT_RECURSIVE), "c1")).isTrue();
        assertThat(watches.watchCount()).isZero();
        assertThat(trigger("/a/b", NODE_CREATED)).isEmpty();
    }

    @Test
    void triggerRejectsEventsThatAreNotNodeEvents() {
        assertThatThrownBy(() -> watches.trigger("/a", EventType.NONE, w -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- has / remove with kind bits -------------------------------------------------------------------------------

    @Test
    void kindBitsOfEachWatcherType() {
        assertThat(WatchKind.bitsFor(WatcherType.DATA)).isEqualTo(WatchKind.DATA.bit);
        assertThat(WatchKind.bitsFor(WatcherType.CHILDREN)).isEqualTo(WatchKind.CHILD.bit);
        assertThat(WatchKind.bitsFor(WatcherType.PERSISTENT)).isEqualTo(WatchKind.PERSISTENT.bit);
        assertThat(WatchKind.bitsFor(WatcherType.PERSISTENT_RECURSIVE)).isEqualTo(WatchKind.RECURSIVE.bit);
        assertThat(WatchKind.bitsFor(WatcherType.ANY))
                .isEqualTo(WatchKind.DATA.bit | WatchKind.CHILD.bit | WatchKind.PERSISTENT.bit | WatchKind.RECURSIVE.bit);
    }

    @Test
    void hasAnswersPerPathKindAndWatcher() {
        watches.add("/a", WatchKind.CHILD, "c1");
        assertThat(watches.has("/a", WatchKind.bitsFor(WatcherType.CHILDREN), "c1")).isTrue();
        assertThat(watches.has("/a", WatchKind.bitsFor(WatcherType.ANY), "c1")).isTrue();
        assertThat(watches.has("/a", WatchKind.bitsFor(WatcherType.DATA), "c1")).isFalse();
        assertThat(watches.has("/a", WatchKind.bitsFor(WatcherType.PERSISTENT), "c1")).isFalse();
        assertThat(watches.has("/a", WatchKind.bitsFor(WatcherType.CHILDREN), "c2")).isFalse();
        assertThat(watches.has("/b", WatchKind.bitsFor(WatcherType.ANY), "c1")).isFalse();
        // a recursive watch on an ancestor is not a watch on the path
        watches.add("/", WatchKind.RECURSIVE, "c1");
        assertThat(watches.has("/b", WatchKind.bitsFor(WatcherType.ANY), "c1")).isFalse();
    }

    @Test
    void removeTakesOnlyTheSelectedKinds() {
        watches.add("/a", WatchKind.DATA, "c1");
        watches.add("/a", WatchKind.CHILD, "c1");
        watches.add("/a", WatchKind.PERSISTENT, "c1");
        watches.add("/a", WatchKind.DATA, "c2");

        assertThat(watches.remove("/a", WatchKind.bitsFor(WatcherType.DATA), "c1")).isTrue();
        assertThat(watches.remove("/a", WatchKind.bitsFor(WatcherType.DATA), "c1")).isFalse();
        assertThat(watches.has("/a", WatchKind.bitsFor(WatcherType.CHILDREN), "c1")).isTrue();
        assertThat(watches.has("/a", WatchKind.bitsFor(WatcherType.DATA), "c2")).as("other watcher").isTrue();
        assertThat(watches.remove("/a", WatchKind.bitsFor(WatcherType.PERSISTENT_RECURSIVE), "c1")).isFalse();

        assertThat(watches.remove("/a", WatchKind.bitsFor(WatcherType.ANY), "c1")).isTrue();
        assertThat(watches.has("/a", WatchKind.bitsFor(WatcherType.ANY), "c1")).isFalse();
        assertThat(watches.pathsOf("c1")).isEmpty();
        assertThat(trigger("/a", NODE_DELETED)).containsExactly("c2");
        assertThat(watches.remove("/a", WatchKind.bitsFor(WatcherType.ANY), "c2")).isFalse();
    }

    @Test
    void removingARecursiveWatchStopsDescendantEvents() {
        watches.add("/r", WatchKind.RECURSIVE, "c1");
        watches.add("/r", WatchKind.RECURSIVE, "c2");
        assertThat(watches.remove("/r", WatchKind.bitsFor(WatcherType.PERSISTENT_RECURSIVE), "c1")).isTrue();
        assertThat(trigger("/r/x", NODE_CREATED)).containsExactly("c2");
        assertThat(watches.remove("/r", WatchKind.bitsFor(WatcherType.ANY), "c2")).isTrue();
        assertThat(trigger("/r/x", NODE_CREATED)).isEmpty();
    }

    // --- removeAll and counts --------------------------------------------------------------------------------------

    @Test
    void removeAllDropsEveryWatchOfOneWatcher() {
        watches.add("/a", WatchKind.DATA, "gone");
        watches.add("/a", WatchKind.CHILD, "gone");
        watches.add("/b", WatchKind.PERSISTENT, "gone");
        watches.add("/", WatchKind.RECURSIVE, "gone");
        watches.add("/a", WatchKind.DATA, "stays");

        watches.removeAll("gone");
        watches.removeAll("never-watched");

        assertThat(watches.watchers()).containsExactly("stays");
        assertThat(watches.pathsOf("gone")).isEmpty();
        assertThat(watches.watchCount()).isOne();
        assertThat(trigger("/b", NODE_DATA_CHANGED)).isEmpty();
        assertThat(trigger("/c", NODE_CREATED)).isEmpty();
        assertThat(trigger("/a", NODE_DELETED)).containsExactly("stays");
        assertThat(watches.watchersByPath()).isEmpty();
    }

    @Test
    void countsAndViews() {
        watches.add("/a", WatchKind.DATA, "c1");
        watches.add("/a", WatchKind.CHILD, "c1");
        watches.add("/a", WatchKind.DATA, "c2");
        watches.add("/b", WatchKind.PERSISTENT, "c2");
        watches.add("/c", WatchKind.RECURSIVE, "c3");

        assertThat(watches.watchCount()).isEqualTo(5);
        assertThat(watches.watcherCount()).isEqualTo(3);
        assertThat(watches.pathCount()).isEqualTo(3);
        assertThat(watches.pathsOf("c1")).containsExactly("/a");
        assertThat(watches.pathsOf("c2")).containsExactlyInAnyOrder("/a", "/b");
        assertThat(watches.pathsOf("nobody")).isEmpty();
        assertThat(watches.watchersByPath()).containsOnlyKeys("/a", "/b", "/c");
        assertThat(watches.watchersByPath().get("/a")).containsExactlyInAnyOrder("c1", "c2");
        assertThat(watches.watchers()).containsExactlyInAnyOrder("c1", "c2", "c3");

        trigger("/a", NODE_DELETED);
        assertThat(watches.watchCount()).isEqualTo(2);
        assertThat(watches.watcherCount()).isEqualTo(2);
        assertThat(watches.pathCount()).isEqualTo(2);
    }
}
