package io.corral.client;

import java.util.Arrays;

import io.corral.protocol.Stat;

/**
 * One value of a node as {@link CorralClient#watchData(String)} reports it: the data and Stat while the node exists,
 * or a "deleted" value (stat and data null) while it does not.
 */
public record NodeValue(String path, byte[] data, Stat stat) {

    static NodeValue deleted(String path) {
        return new NodeValue(path, null, null);
    }

    /** True when the node exists. */
    public boolean exists() {
        return stat != null;
    }

    /** The version of the data, or -1 when the node does not exist. */
    public int version() {
        return stat == null ? -1 : stat.version();
    }

    /** Same node state: both deleted, or the same data version with the same mzxid. */
    boolean sameAs(NodeValue other) {
        if (stat == null || other.stat == null) {
            return stat == other.stat;
        }
        return stat.mzxid() == other.stat.mzxid() && stat.czxid() == other.stat.czxid()
                && Arrays.equals(data, other.data);
    }
}
