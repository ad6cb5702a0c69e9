package io.corral.server.tree;

import io.corral.protocol.Acl;
import io.corral.protocol.Stat;
import io.corral.server.txn.EphemeralOwner;

import java.util.List;

/**
 * One znode. Owned by the sequencer thread: no synchronisation.
 *
 * <p>Kept small, as a tree holds millions: 64 bytes with compressed references (the Stat's own fields, the data
 * array as the client sent it, a reference into the shared ACL lists, and the children). The node holds neither
 * its path nor its name: its parent's {@link Children} does. The parts most nodes never use live elsewhere: pzxid,
 * the child-creation counter and the children in a {@link Children} that only a node that had a child carries (a
 * node without one has pzxid = czxid and no creations), and the ephemeral owner in the subclass {@link Owned}
 * (ephemerals, containers and TTL nodes).
 *
 * <p>ZooKeeper's internal child-creation counter C is kept; clients see cversion = 2C - numChildren (see
 * {@link #stat()}).
 */
public sealed class DataNode {
    byte[] data;
    List<Acl> acl;
    final long czxid;
    final long ctime;
    long mzxid;
    long mtime;
    int version;
    int aversion;
    /** Null while the node never had a child. */
    Children children;

    private DataNode(byte[] data, List<Acl> acl, long czxid, long mzxid, long ctime, long mtime, int version,
                     int aversion) {
        this.data = data;
        this.acl = acl;
        this.czxid = czxid;
        this.mzxid = mzxid;
        this.ctime = ctime;
        this.mtime = mtime;
        this.version = version;
        this.aversion = aversion;
    }

    /** A new node, created by zxid at time. */
    static DataNode created(byte[] data, List<Acl> acl, long zxid, long time, long ephemeralOwner) {
        return ephemeralOwner == 0 ? new DataNode(data, acl, zxid, zxid, time, time, 0, 0)
                : new Owned(data, acl, zxid, zxid, time, time, 0, 0, ephemeralOwner);
    }

    /** A node as a snapshot recorded it. */
    static DataNode restored(byte[] data, List<Acl> acl, long czxid, long mzxid, long ctime, long mtime, long pzxid,
                             int version, int cversion, int aversion, long ephemeralOwner) {
        DataNode node = ephemeralOwner == 0 ? new DataNode(data, acl, czxid, mzxid, ctime, mtime, version, aversion)
                : new Owned(data, acl, czxid, mzxid, ctime, mtime, version, aversion, ephemeralOwner);
        if (pzxid != czxid || cversion != 0) {
            node.children = new Children(pzxid, cversion);
        }
        return node;
    }

    /** Ephemerals, containers and TTL nodes: the only nodes with an owner. */
    static final class Owned extends DataNode {
        private final long ephemeralOwner;

        private Owned(byte[] data, List<Acl> acl, long czxid, long mzxid, long ctime, long mtime, int version,
                      int aversion, long ephemeralOwner) {
            super(data, acl, czxid, mzxid, ctime, mtime, version, aversion);
            this.ephemeralOwner = ephemeralOwner;
        }

        @Override
        public long ephemeralOwner() {
            return ephemeralOwner;
        }
    }

    /** The parent's side of this node: created (pzxid = czxid, no creations yet) with its first child. */
    Children parentState() {
        Children c = children;
        if (c == null) {
            c = new Children(czxid, 0);
            children = c;
        }
        return c;
    }

    /** Takes over the children of the node this one replaces, keeping its own pzxid and creation counter. */
    void adoptChildren(DataNode previous) {
        Children adopted = previous.children;
        if (adopted != null) {
            adopted.pzxid = pzxid();
            adopted.cversion = childCreations();
            children = adopted;
        }
    }

    public long czxid() {
        return czxid;
    }

    public long ctime() {
        return ctime;
    }

    public byte[] data() {
        return data;
    }

    public List<Acl> acl() {
        return acl;
    }

    public int version() {
        return version;
    }

    public int aversion() {
        return aversion;
    }

    /** ZooKeeper's internal child-creation counter (the sequential suffix of the next child). */
    public int childCreations() {
        Children c = children;
        return c == null ? 0 : c.cversion;
    }

    /** The session of an ephemeral, or the marker of a container or TTL node (see EphemeralOwner); 0 otherwise. */
    public long ephemeralOwner() {
        return 0;
    }

    public long mzxid() {
        return mzxid;
    }

    public long mtime() {
        return mtime;
    }

    public long pzxid() {
        Children c = children;
        return c == null ? czxid : c.pzxid;
    }

    public int numChildren() {
        Children c = children;
        return c == null ? 0 : c.size();
    }

    /**
     * The children's names, in no particular order: an immutable copy, which a reply may encode on another thread
     * (it copies them in their wire form, see {@link ChildNames}).
     */
    public List<String> children() {
        Children c = children;
        return c == null ? List.of() : c.names();
    }

    public Stat stat() {
        Children c = children;
        int numChildren = 0;
        int cversion = 0;
        long pzxid = czxid;
        if (c != null) {
            numChildren = c.size();
            cversion = c.cversion;
            pzxid = c.pzxid;
        }
        return new Stat(czxid, mzxid, ctime, mtime, version, 2 * cversion - numChildren, aversion,
                EphemeralOwner.visible(ephemeralOwner()), data == null ? 0 : data.length, numChildren, pzxid);
    }
}
