package io.corral.client;

import io.corral.protocol.EventType;
import io.corral.protocol.Stat;

/**
 * One change of a resumable watch stream ({@link CorralClient#watch(String, WatchMode, long)}) or of a
 * {@link CorralClient#mirror mirror}: what happened to which node (client path, without chroot), in which committed
 * txn. Several changes may share a zxid (a create also changes its parent's children; a multi changes several
 * nodes); they come in the order the txn applied them.
 *
 * @param zxid           the txn that made the change
 * @param time           the txn's time (the leader's clock, ms since the epoch); 0 for a snapshot's nodes
 * @param type           what happened
 * @param path           the node (for NODE_CHILDREN_CHANGED, the parent whose children changed)
 * @param version        the new version of what changed, as far as the txn determines it: the data version for
 *                       NODE_CREATED and NODE_DATA_CHANGED, the ACL version for NODE_ACL_CHANGED; -1 for
 *                       NODE_DELETED and NODE_CHILDREN_CHANGED
 * @param ephemeralOwner the owning session of an ephemeral NODE_CREATED, 0 otherwise
 * @param data           the new data of NODE_CREATED and NODE_DATA_CHANGED when the stream carries data, else null
 * @param snapshot       part of the snapshot a mirror opens with (the node existed at zxid), not a change
 * @param stat           the node's new Stat; null for NODE_DELETED (and from a Corral server older than the Stat's
 *                       wire version). In a {@link CorralClient#mirror mirror} it is whole, as a read right after
 *                       the txn would return it. In a {@link CorralClient#watch(String, WatchMode, long) watch} it
 *                       holds what the txn itself determines and -1 in the other fields: the whole Stat for
 *                       NODE_CREATED; mzxid, mtime, version and dataLength for NODE_DATA_CHANGED; aversion for
 *                       NODE_ACL_CHANGED; pzxid for NODE_CHILDREN_CHANGED (the rest is the node's earlier state,
 *                       which a stream from a zxid does not have)
 */
public record Change(long zxid, long time, Type type, String path, int version, long ephemeralOwner, byte[] data,
                     boolean snapshot, Stat stat) {

    /** Internal: the end of a snapshot (type null), for streams that must learn that a node is missing. */
    static Change snapshotEnd(long zxid) {
        return new Change(zxid, 0, null, null, -1, 0, null, true, null);
    }

    boolean isSnapshotEnd() {
        return type == null;
    }

    public enum Type {
        NODE_CREATED(EventType.NODE_CREATED, "NodeCreated"),
        NODE_DELETED(EventType.NODE_DELETED, "NodeDeleted"),
        NODE_DATA_CHANGED(EventType.NODE_DATA_CHANGED, "NodeDataChanged"),
        NODE_CHILDREN_CHANGED(EventType.NODE_CHILDREN_CHANGED, "NodeChildrenChanged"),
        /** Corral only: ZooKeeper's watches do not report ACL changes. */
        NODE_ACL_CHANGED(EventType.NODE_ACL_CHANGED, "NodeAclChanged");

        private final int code;
        private final String zooKeeperName;

        Type(int code, String zooKeeperName) {
            this.code = code;
            this.zooKeeperName = zooKeeperName;
        }

        /** The EventType code on the wire. */
        public int code() {
            return code;
        }

        /** The name ZooKeeper's Watcher.Event.EventType gives it (Corral's own for NODE_ACL_CHANGED). */
        public String zooKeeperName() {
            return zooKeeperName;
        }

        /** By wire code; values() would copy the array for every change. */
        private static final Type[] BY_CODE = byCode();

        private static Type[] byCode() {
            int max = 0;
            for (Type type : values()) {
                max = Math.max(max, type.code);
            }
            Type[] byCode = new Type[max + 1];
            for (Type type : values()) {
                byCode[type.code] = type;
            }
            return byCode;
        }

        static Type fromCode(int code) {
            return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        }
    }
}
