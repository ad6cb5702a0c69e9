package io.corral.server.sequencer;

import io.corral.protocol.Acl;
import io.corral.server.tree.DataNode;

import java.util.List;

/**
 * A node as write validation sees it: the tree's state with the not-yet-applied changes on top. Immutable; a
 * change makes a new record. {@code exists == false} marks a node deleted by a pending txn.
 */
record NodeRecord(String path, long zxid, boolean exists, int version, int childCreations, int aversion,
                  int numChildren, long ephemeralOwner, List<Acl> acl, int dataLength) {

    static NodeRecord of(String path, DataNode node) {
        return new NodeRecord(path, node.mzxid(), true, node.version(), node.childCreations(), node.aversion(),
                node.numChildren(), node.ephemeralOwner(), node.acl(), lengthOf(node.data()));
    }

    static NodeRecord created(String path, long zxid, long ephemeralOwner, List<Acl> acl, byte[] data) {
        return new NodeRecord(path, zxid, true, 0, 0, 0, 0, ephemeralOwner, acl, lengthOf(data));
    }

    static int lengthOf(byte[] data) {
        return data == null ? 0 : data.length;
    }

    NodeRecord deleted(long zxid) {
        return new NodeRecord(path, zxid, false, version, childCreations, aversion, numChildren, ephemeralOwner, acl,
                dataLength);
    }

    NodeRecord withData(long zxid, int newVersion, byte[] data) {
        return new NodeRecord(path, zxid, true, newVersion, childCreations, aversion, numChildren, ephemeralOwner, acl,
                lengthOf(data));
    }

    NodeRecord withAcl(long zxid, List<Acl> newAcl, int newAversion) {
        return new NodeRecord(path, zxid, true, version, childCreations, newAversion, numChildren, ephemeralOwner,
                newAcl, dataLength);
    }

    NodeRecord withChildAdded(long zxid) {
        return new NodeRecord(path, zxid, true, version, childCreations + 1, aversion, numChildren + 1,
                ephemeralOwner, acl, dataLength);
    }

    NodeRecord withChildRemoved(long zxid) {
        return new NodeRecord(path, zxid, true, version, childCreations, aversion, numChildren - 1, ephemeralOwner,
                acl, dataLength);
    }
}
