package io.corral.server.importer;

import io.corral.protocol.Acl;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A znode as ZooKeeper persists it: data, ACL and StatPersisted, plus the names of its children. */
final class ZkNode {
    byte[] data;
    List<Acl> acl;
    long czxid;
    long mzxid;
    long ctime;
    long mtime;
    int version;
    int cversion;
    int aversion;
    long ephemeralOwner;
    long pzxid;
    final Set<String> children = new HashSet<>();

    /** A node as ZooKeeper's createNode makes it: every zxid the creating one, every version 0. */
    static ZkNode created(byte[] data, List<Acl> acl, long ephemeralOwner, long zxid, long time) {
        ZkNode node = new ZkNode();
        node.data = data;
        node.acl = acl;
        node.czxid = zxid;
        node.mzxid = zxid;
        node.pzxid = zxid;
        node.ctime = time;
        node.mtime = time;
        node.ephemeralOwner = ephemeralOwner;
        return node;
    }
}
