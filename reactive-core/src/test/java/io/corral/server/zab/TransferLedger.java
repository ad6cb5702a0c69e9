package io.corral.server.zab;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulation's record of leadership transfers: how many began, handed over, were abandoned, and ended with their
 * target establishing the next epoch, and for those the write pause (from the old leader's last proposal to the new
 * leader's establishment) in simulated time.
 */
final class TransferLedger {

    int started;
    int refused;
    int handedOver;
    int abandoned;
    int targetElected;
    /** voters a target took on without discovery ({@link ZabMessage.HandoverSync} sent) */
    int shortcuts;
    final List<Long> pauses = new ArrayList<>();

    /** the transfer in progress: its target, the epoch it left and when it began; -1 when none */
    private long target = -1;
    private long fromEpoch;
    private long since;

    /** adds the counts and pauses of another run's ledger */
    void add(TransferLedger run) {
        started += run.started;
        refused += run.refused;
        handedOver += run.handedOver;
        abandoned += run.abandoned;
        targetElected += run.targetElected;
        shortcuts += run.shortcuts;
        pauses.addAll(run.pauses);
    }

    void began(long target, long epoch, long now) {
        started++;
        this.target = target;
        this.fromEpoch = epoch;
        this.since = now;
    }

    void abandonedOne() {
        abandoned++;
        target = -1;
    }

    void handedOverOne() {
        handedOver++;
    }

    /** a leader was established: if it is the pending transfer's target in a later epoch, the transfer succeeded */
    void established(long leader, long epoch, long now) {
        if (target < 0 || epoch <= fromEpoch) {
            return;
        }
        if (leader == target) {
            targetElected++;
            pauses.add(now - since);
        }
        target = -1;
    }

    long maxPause() {
        return pauses.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    double meanPause() {
        return pauses.stream().mapToLong(Long::longValue).average().orElse(0);
    }

    @Override
    public String toString() {
        return started + " transfers (" + refused + " refused), " + handedOver + " handed over, " + targetElected
                + " elected their target, " + abandoned + " abandoned, " + shortcuts + " voters taken on without discovery";
    }
}
