package io.corral.client;

/** What a {@link CorralClient#watch(String, WatchMode)} stream reports. */
public enum WatchMode {
    /** The node itself: NODE_CREATED, NODE_DATA_CHANGED, NODE_DELETED (a persistent watch). */
    NODE,
    /** The node's children: NODE_CHILDREN_CHANGED, plus NODE_CREATED and NODE_DELETED of the node (a persistent watch). */
    CHILDREN,
    /** The node and every descendant: created, data changed, deleted (a persistent recursive watch). */
    SUBTREE;

    boolean recursive() {
        return this == SUBTREE;
    }

    boolean accepts(WatchEvent.Type type) {
        return switch (this) {
            case NODE -> type != WatchEvent.Type.NODE_CHILDREN_CHANGED;
            case CHILDREN -> type != WatchEvent.Type.NODE_DATA_CHANGED;
            case SUBTREE -> type != WatchEvent.Type.NODE_CHILDREN_CHANGED;
        };
    }
}
