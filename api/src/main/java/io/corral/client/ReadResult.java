package io.corral.client;

import java.util.List;

import io.corral.protocol.ErrorCode;

/**
 * The result of one read of a {@link ReadTransaction} (multiRead): the node's data, its children's names, or the
 * error that read alone met (NONODE, NOAUTH, ...), as the server reports each read separately. {@code path} is the
 * client path the read was about.
 */
public sealed interface ReadResult {

    String path();

    /** True for {@link Failed}. */
    default boolean isError() {
        return this instanceof Failed;
    }

    /** getData: the node's data and Stat. */
    record Data(String path, NodeData value) implements ReadResult {
    }

    /** getChildren: the names of the children (multiRead returns no Stat for them). */
    record ChildNames(String path, List<String> names) implements ReadResult {
    }

    /** The read failed with {@code code}, one of {@link ErrorCode}'s constants. */
    record Failed(String path, int code) implements ReadResult {
        /** The failure as the exception a single read would have failed with. */
        public KeeperErrorException exception() {
            return new KeeperErrorException(code, path);
        }
    }
}
