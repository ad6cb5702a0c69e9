package io.corral.server.zab;

import java.util.Arrays;
import java.util.Set;

/**
 * The static configuration of one ensemble member. Times are in ticks: the shell calls {@link ZabNode#tick()} once
 * per {@code tickTime}.
 *
 * @param myId            this server's id (a voter or an observer)
 * @param voters          ids of the voting members (the quorum is a majority of them)
 * @param observers       ids of the non-voting members
 * @param initLimit       ticks within which a leader must be established, and a learner synchronised
 * @param syncLimit       ticks of silence after which a follower gives up its leader, or a leader a follower
 * @param electionTimeout base ticks between re-sends of an election vote; each wait is drawn from
 *                        {@code [electionTimeout, 2 * electionTimeout)} with the seeded generator
 * @param seed            seeds the node's own random generator (election timeouts, learner session ids); pass a
 *                        different value at each process start
 * @param diffLimit       a learner further behind than this many entries is sent a snapshot instead of a diff
 * @param maxOutstanding  most proposals a leader holds uncommitted ({@link ZabNode#propose} refuses more), and most
 *                        entries a follower holds that its disk has not made durable (it gives up its leader then)
 * @param syncWindow      most entries a leader streams to a synchronising learner beyond what it acknowledged
 * @param syncWindowBytes most bytes (entries' bodies, snapshot chunks) streamed beyond what it acknowledged; at least
 *                        one entry or chunk is always allowed
 * @param snapChunk       the size of the parts a snapshot is sent in
 */
public record ZabConfig(long myId, Set<Long> voters, Set<Long> observers, int initLimit, int syncLimit,
                        int electionTimeout, long seed, int diffLimit, int maxOutstanding, int syncWindow,
                        int syncWindowBytes, int snapChunk) {

    /** the default flow control of a learner's synchronisation: 1,000 entries or 8 MB ahead, 1 MB snapshot parts */
    public static final int SYNC_WINDOW = 1_000;
    public static final int SYNC_WINDOW_BYTES = 8 << 20;
    public static final int SNAP_CHUNK = 1 << 20;

    public ZabConfig {
        Membership members = new Membership(0, voters, observers); // sorted, and checked as any configuration is
        voters = members.voters();
        observers = members.observers();
        if (!voters.contains(myId) && !observers.contains(myId)) {
            throw new IllegalArgumentException("server " + myId + " is not a member");
        }
        if (initLimit < 1 || syncLimit < 1 || electionTimeout < 1 || diffLimit < 0 || maxOutstanding < 1
                || syncWindow < 1 || syncWindowBytes < 1 || snapChunk < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** a configuration with the default limits: initLimit 10, syncLimit 5, electionTimeout 2 ticks */
    public static ZabConfig of(long myId, Set<Long> voters, Set<Long> observers, long seed) {
        return new ZabConfig(myId, voters, observers, 10, 5, 2, seed, 100_000, 10_000, SYNC_WINDOW, SYNC_WINDOW_BYTES,
                SNAP_CHUNK);
    }

    /**
     * The epoch a leader proposes when every epoch up to {@code atLeastAbove} may be taken: the smallest one above it
     * that is congruent to this server's rank among the voters. Two servers can then never lead the same epoch,
     * which is what lets a follower re-acknowledge an epoch it already accepted (after a restart, or from a new
     * connection) without checking whom it accepted it from.
     */
    public long nextEpochAbove(long atLeastAbove) {
        long[] sorted = voters.stream().mapToLong(Long::longValue).sorted().toArray();
        int rank = Arrays.binarySearch(sorted, myId);
        if (rank < 0) {
            throw new IllegalStateException("an observer never leads");
        }
        long n = sorted.length;
        long candidate = atLeastAbove + 1;
        return candidate + Math.floorMod(rank - candidate, n);
    }
}
