package io.corral.server.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.server.session.SessionTracker;
import io.corral.server.tree.DataTree;
import io.corral.server.tree.TextNodes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The quota stats are kept in memory only (ZooKeeper logs no txn for them): a loaded snapshot gets them counted again
 * from its tree, and its limit nodes limit their paths again.
 */
class QuotaRecountTest {
    private final DataTree tree = new DataTree();
    private final TextNodes nodes = new TextNodes(tree);

    private void create(String path, String data) {
        nodes.create(path, data);
    }

    private static String text(DataTree in, String path) {
        return TextNodes.text(in, path);
    }

    @Test
    void statsAreRecountedAndLimitsRestoredAfterASnapshotLoad() throws IOException {
        create("/app", "abc");
        create("/app/x", "de");
        create("/zookeeper/quota/app", null);
        create("/zookeeper/quota/app/zookeeper_limits", "count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=5");
        create("/zookeeper/quota/app/zookeeper_stats", "count=0,bytes=0");
        assertThat(text(tree, "/zookeeper/quota/app/zookeeper_stats")).isEqualTo("count=2,bytes=5");
        create("/app/y", "f");
        assertThat(text(tree, "/zookeeper/quota/app/zookeeper_stats")).isEqualTo("count=3,bytes=6");
        // a client overwrote the stats: the next start counts them from the tree again
        tree.setData("/zookeeper/quota/app/zookeeper_stats", "count=99,bytes=99".getBytes(StandardCharsets.UTF_8),
                1, nodes.nextZxid(), 0);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TreeSnapshot.write(tree, new SessionTracker(2000, 1, 0), out);
        DataTree loaded = new DataTree();
        TreeSnapshot.read(new DataInputStream(new ByteArrayInputStream(out.toByteArray())), loaded);

        assertThat(text(loaded, "/zookeeper/quota/app/zookeeper_stats")).isEqualTo("count=3,bytes=6");
        assertThat(loaded.limitedPrefixOf("/app/y/z")).isEqualTo("/app");
        DataTree serving = new DataTree();
        serving.replaceWith(loaded);
        assertThat(serving.limitedPrefixOf("/app")).isEqualTo("/app");
        serving.delete("/app/y", nodes.nextZxid());
        assertThat(text(serving, "/zookeeper/quota/app/zookeeper_stats")).isEqualTo("count=2,bytes=5");
    }

    @Test
    void deletingTheLimitNodeEndsTheQuota() {
        create("/a", null);
        create("/zookeeper/quota/a", null);
        create("/zookeeper/quota/a/zookeeper_limits", "count=2,bytes=-1");
        create("/zookeeper/quota/a/zookeeper_stats", null);
        assertThat(tree.limitedPrefixOf("/a/b")).isEqualTo("/a");
        assertThat(tree.limitedPrefixOf("/ab")).isNull();
        assertThat(tree.limitedPrefixOf("/")).isNull();
        tree.delete("/zookeeper/quota/a/zookeeper_limits", nodes.nextZxid());
        assertThat(tree.limitedPrefixOf("/a/b")).isNull();
        create("/a/b", "xyz");
        assertThat(text(tree, "/zookeeper/quota/a/zookeeper_stats")).isEqualTo("count=1,bytes=0");
    }
}
