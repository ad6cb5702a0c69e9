package io.corral.client;

import java.util.List;

/**
 * A transaction (multi) failed as a whole and nothing was applied. {@link #code()} and {@link #path()} are those of
 * the operation that failed; {@link #results()} has one entry per operation: 0 for those before it, its own error,
 * RUNTIMEINCONSISTENCY for those after it.
 */
public final class TransactionFailedException extends KeeperErrorException {
    private final List<OpResult> results;
    private final int failedIndex;

    TransactionFailedException(int code, String path, int failedIndex, List<OpResult> results) {
        super(code, path, "operation " + failedIndex + " of the transaction failed");
        this.results = List.copyOf(results);
        this.failedIndex = failedIndex;
    }

    public List<OpResult> results() {
        return results;
    }

    /** Index of the operation that failed. */
    public int failedIndex() {
        return failedIndex;
    }
}
