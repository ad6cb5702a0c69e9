package io.corral.server.zab;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * One configuration of the ensemble: who votes and who observes, and its version (the zxid of the reconfig txn that
 * made it, as ZooKeeper numbers its configurations; the static configuration of the {@code zoo.cfg} has version 0).
 * A server may be in neither set: a new server syncing before the reconfig that adds it, or a removed one.
 */
public record Membership(long version, Set<Long> voters, Set<Long> observers) {

    /**
     * With reconfiguration, a server leads only epochs congruent to its id modulo this (ZooKeeper's server ids are
     * 1 to 255): a leader's epochs must differ from every other server's in every configuration, which a rank among
     * the voters of the moment (the static rule, {@link ZabConfig#nextEpochAbove}) does not give once they change.
     */
    public static final int EPOCH_STRIDE = 256;

    public Membership {
        // sorted: iteration order decides the order of sends, which must not vary from one JVM to another
        voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        observers = Collections.unmodifiableSortedSet(new TreeSet<>(observers));
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("no voting member");
        }
        Set<Long> both = new HashSet<>(voters);
        both.retainAll(observers);
        if (!both.isEmpty()) {
            throw new IllegalArgumentException("both voter and observer: " + both);
        }
        if (version < 0) {
            throw new IllegalArgumentException("version " + version);
        }
    }

    /** the static membership of a {@link ZabConfig} (version 0) */
    public static Membership of(ZabConfig config) {
        return new Membership(0, config.voters(), config.observers());
    }

    public boolean isVoter(long id) {
        return voters.contains(id);
    }

    public boolean isObserver(long id) {
        return observers.contains(id);
    }

    public boolean isMember(long id) {
        return voters.contains(id) || observers.contains(id);
    }

    /** how many voters make a quorum: a strict majority */
    public int quorum() {
        return voters.size() / 2 + 1;
    }

    /** whether {@code ids} hold a quorum of this configuration's voters (ids that are not voters do not count) */
    public boolean isQuorum(Iterable<Long> ids) {
        int count = 0;
        for (long id : ids) {
            if (voters.contains(id)) {
                count++;
            }
        }
        return count >= quorum();
    }

    /** the same members in a configuration of another version */
    public boolean sameMembers(Membership other) {
        return voters.equals(other.voters) && observers.equals(other.observers);
    }

    /** the smallest epoch above {@code atLeastAbove} that server {@code myId} may lead (see {@link #EPOCH_STRIDE}) */
    public static long epochAbove(long myId, long atLeastAbove) {
        if (myId < 1 || myId >= EPOCH_STRIDE) {
            throw new IllegalStateException("server id " + myId + " outside 1.." + (EPOCH_STRIDE - 1));
        }
        long candidate = atLeastAbove + 1;
        return candidate + Math.floorMod(myId - candidate, EPOCH_STRIDE);
    }
}
