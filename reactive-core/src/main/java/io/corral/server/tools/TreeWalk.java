package io.corral.server.tools;

import io.corral.server.tree.DataNode;
import io.corral.server.tree.DataTree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;

/** Visits every node of a tree in path order (parents before children, siblings sorted by name). */
public final class TreeWalk {
    private TreeWalk() {
    }

    public static void forEach(DataTree tree, BiConsumer<String, DataNode> visitor) {
        ArrayDeque<String> pending = new ArrayDeque<>();
        pending.push("/");
        while (!pending.isEmpty()) {
            String path = pending.pop();
            DataNode node = tree.get(path);
            visitor.accept(path, node);
            List<String> children = new ArrayList<>(node.children());
            children.sort(Collections.reverseOrder()); // pushed last-first, so popped in name order
            String prefix = path.equals("/") ? "/" : path + "/";
            for (String child : children) {
                pending.push(prefix + child);
            }
        }
    }
}
