package io.corral.server.sequencer;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.protocol.Acl;
import io.corral.server.tree.DataTree;
import io.corral.server.tree.PathValidator;
import io.corral.server.txn.EphemeralOwner;
import org.junit.jupiter.api.Test;

class ContainerReaperTest {
    private static final long INTERVAL = 60_000;

    private final DataTree tree = new DataTree();
    private long zxid;

    private void node(String path, long owner, long mtime) {
        tree.create(path, null, Acl.OPEN_ACL_UNSAFE, owner,
                tree.get(PathValidator.parent(path)).childCreations() + 1, ++zxid, mtime);
    }

    private ContainerReaper reaper(int maxPerMinute, long maxNeverUsedIntervalMs) {
        return new ContainerReaper(tree, INTERVAL, maxPerMinute, maxNeverUsedIntervalMs);
    }

    @Test
    void aContainerIsReapedOnlyOnceItHadAChildAndHasNoneLeft() {
        node("/never-used", EphemeralOwner.CONTAINER, 0);
        node("/busy", EphemeralOwner.CONTAINER, 0);
        node("/busy/child", 0, 0);
        node("/emptied", EphemeralOwner.CONTAINER, 0);
        node("/emptied/child", 0, 0);
        tree.delete("/emptied/child", ++zxid);
        node("/plain", 0, 0);
        node("/plain/child", 0, 0);
        tree.delete("/plain/child", ++zxid);

        assertThat(reaper(10_000, 0).candidates(1_000_000)).containsExactly("/emptied");
    }

    @Test
    void aNeverUsedContainerIsReapedAfterMaxNeverUsedInterval() {
        node("/never-used", EphemeralOwner.CONTAINER, 10_000);
        ContainerReaper reaper = reaper(10_000, 5_000);
        assertThat(reaper.candidates(15_000)).isEmpty();
        assertThat(reaper.candidates(15_001)).containsExactly("/never-used");
        assertThat(reaper(10_000, 0).candidates(Long.MAX_VALUE / 2)).as("0 = keep forever").isEmpty();
    }

    @Test
    void aTtlNodeIsReapedWhenItOutlivedItsTtlWithoutChildren() {
        node("/ttl", EphemeralOwner.ttl(1_000), 10_000);
        node("/ttl-parent", EphemeralOwner.ttl(1_000), 10_000);
        node("/ttl-parent/child", 0, 10_000);
        ContainerReaper reaper = reaper(10_000, 0);
        assertThat(reaper.candidates(11_000)).as("now - mtime == ttl is not yet expired").isEmpty();
        assertThat(reaper.candidates(11_001)).containsExactly("/ttl");
        // setData moves mtime and so extends the node's life
        tree.setData("/ttl", null, 1, ++zxid, 11_000);
        assertThat(reaper.candidates(11_001)).isEmpty();
        assertThat(reaper.candidates(12_001)).containsExactly("/ttl");
    }

    @Test
    void containersComeFirstAndARunIsCappedByMaxPerMinute() {
        for (String name : new String[] {"/c1", "/c2", "/c3"}) {
            node(name, EphemeralOwner.CONTAINER, 0);
            node(name + "/x", 0, 0);
            tree.delete(name + "/x", ++zxid);
        }
        node("/t1", EphemeralOwner.ttl(1), 0);
        node("/t2", EphemeralOwner.ttl(1), 0);

        assertThat(reaper(10_000, 0).candidates(100)).containsExactly("/c1", "/c2", "/c3", "/t1", "/t2");
        // 4 per minute, checked every minute: 4 per run
        assertThat(reaper(4, 0).candidates(100)).containsExactly("/c1", "/c2", "/c3", "/t1");
        assertThat(reaper(2, 0).candidates(100)).containsExactly("/c1", "/c2");
        // at least one per run, however low the rate
        assertThat(new ContainerReaper(tree, 1_000, 1, 0).candidates(100)).containsExactly("/c1");
    }
}
