package io.corral.server.tree;

import java.util.ArrayDeque;
import java.util.List;

/**
 * ZooKeeper's history of tree digests (its DataTree's digestLog): the digest after every 128th zxid (0x80, 0x100, ...:
 * easy to line up between servers), the newest 1,024 kept. What the {@code hash} four-letter word and admin command
 * list.
 */
public final class DigestLog {
    /** ZooKeeper's DIGEST_LOG_INTERVAL and DIGEST_LOG_LIMIT. */
    static final int INTERVAL = 128;
    static final int LIMIT = 1024;

    /** The digest of the tree once the txn {@code zxid} was applied. */
    public record Entry(long zxid, long digest) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    void applied(long zxid, long digest) {
        if (zxid % INTERVAL == 0) {
            entries.addLast(new Entry(zxid, digest));
            if (entries.size() > LIMIT) {
                entries.removeFirst();
            }
        }
    }

    void clear() {
        entries.clear();
    }

    /** Oldest first. */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }
}
