package io.corral.client.recipes;

import java.util.List;

import io.corral.client.CorralClient;

/**
 * A distributed read/write lock with Curator's InterProcessReadWriteLock semantics (without reentrancy or
 * downgrading): readers share the lock while no writer is ahead of them in the queue, a writer holds it alone. Both
 * queue under the same path as {@code _c_<id>-__READ__<seq>} and {@code _c_<id>-__WRIT__<seq>}, so a waiting
 * writer keeps later readers out (no writer starvation).
 *
 * <pre>{@code
 * ReadWriteLock rw = new ReadWriteLock(client, "/locks/catalog");
 * rw.readLock().withLock(lease -> readCatalog()).subscribe();
 * }</pre>
 */
public final class ReadWriteLock {
    static final String READ_NAME = "__READ__";
    static final String WRITE_NAME = "__WRIT__";

    private final DistributedLock readLock;
    private final DistributedLock writeLock;

    public ReadWriteLock(CorralClient client, String path) {
        List<String> both = List.of(READ_NAME, WRITE_NAME);
        this.readLock = new SequentialLock(client, path, READ_NAME, both, TurnRule.sharedUnless(WRITE_NAME),
                new byte[0]);
        this.writeLock = new SequentialLock(client, path, WRITE_NAME, both, TurnRule.EXCLUSIVE, new byte[0]);
    }

    /** The shared side: held together with other readers, never with a writer. */
    public DistributedLock readLock() {
        return readLock;
    }

    /** The exclusive side: held alone. */
    public DistributedLock writeLock() {
        return writeLock;
    }
}
