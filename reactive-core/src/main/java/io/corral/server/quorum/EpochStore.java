package io.corral.server.quorum;

/** Where a ZAB participant keeps its two epochs durably ({@link EpochFile} in dataDir; memory in the simulation). */
public interface EpochStore {

    long accepted();

    long current();

    /** Writes both, durably, before returning. */
    void write(long acceptedEpoch, long currentEpoch);
}
