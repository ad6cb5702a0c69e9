package io.corral.server.tree;

import io.corral.protocol.Acl;
import java.nio.charset.StandardCharsets;

/** Test trees built as the committer builds them: open nodes with text data (null for none), one zxid each. */
public final class TextNodes {
    private final DataTree tree;
    private long zxid;

    public TextNodes(DataTree tree) {
        this.tree = tree;
    }

    public void create(String path, String data) {
        String parent = path.substring(0, Math.max(1, path.lastIndexOf('/')));
        tree.create(path, data == null ? null : data.getBytes(StandardCharsets.UTF_8), Acl.OPEN_ACL_UNSAFE, 0,
                tree.get(parent).childCreations() + 1, ++zxid, 0);
    }

    /** The next zxid, for a change made directly on the tree. */
    public long nextZxid() {
        return ++zxid;
    }

    /** The data of the node at path as text. */
    public static String text(DataTree tree, String path) {
        return new String(tree.get(path).data(), StandardCharsets.UTF_8);
    }
}
