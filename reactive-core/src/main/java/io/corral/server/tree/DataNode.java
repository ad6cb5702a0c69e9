package io.corral.server.tree;

import io.corral.protocol.Acl;
import io.corral.protocol.Stat;
import io.corral.server.txn.EphemeralOwner;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One znode. Owned by the sequencer thread: no synchronisation. cversion holds ZooKeeper's internal child-creation
 * counter C; clients see 2C - numChildren (see {@link #stat()}).
 */
public final class DataNode {
    byte[] data;
    List<Acl> acl;
    final long czxid;
    final long ctime;
    long mzxid;
    long mtime;
    long pzxid;
    int version;
    int cversion;
    int aversion;
    final long ephemeralOwner;
    private Set<String> children;

    DataNode(byte[] data, List<Acl> acl, long zxid, long time, long ephemeralOwner) {
        this.data = data;
        this.acl = acl;
        this.czxid = zxid;
        this.mzxid = zxid;
        this.pzxid = zxid;
        this.ctime = time;
        this.mtime = time;
        this.ephemeralOwner = ephemeralOwner;
    }

    /** A node as a snapshot recorded it. */
    DataNode(byte[] data, List<Acl> acl, long czxid, long mzxid, long ctime, long mtime, long pzxid, int version,
             int cversion, int aversion, long ephemeralOwner) {
        this.data = data;
        this.acl = acl;
        this.czxid = czxid;
        this.mzxid = mzxid;
        this.ctime = ctime;
        this.mtime = mtime;
        this.pzxid = pzxid;
        this.version = version;
        this.cversion = cversion;
        this.aversion = aversion;
        this.ephemeralOwner = ephemeralOwner;
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
        return cversion;
    }

    public long ephemeralOwner() {
        return ephemeralOwner;
    }

    public long mzxid() {
        return mzxid;
    }

    public long mtime() {
        return mtime;
    }

    public long pzxid() {
        return pzxid;
    }

    public int numChildren() {
        return children == null ? 0 : children.size();
    }

    public Set<String> children() {
        return children == null ? Collections.emptySet() : Collections.unmodifiableSet(children);
    }

    void addChild(String name) {
        if (children == null) {
            children = new HashSet<>(4);
        }
        children.add(name);
    }

    void adoptChildren(DataNode previous) {
        children = previous.children;
    }

    void removeChild(String name) {
        if (children != null) {
            children.remove(name);
            if (children.isEmpty()) {
                children = null;
            }
        }
    }

    public Stat stat() {
        int numChildren = numChildren();
        return new Stat(czxid, mzxid, ctime, mtime, version, 2 * cversion - numChildren, aversion,
                EphemeralOwner.visible(ephemeralOwner), data == null ? 0 : data.length, numChildren, pzxid);
    }
}
