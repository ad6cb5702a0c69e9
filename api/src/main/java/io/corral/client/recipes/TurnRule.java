package io.corral.client.recipes;

import java.util.List;

/** Decides, from the lock's contenders in sequence order, whether a contender holds the lock or whom it waits for. */
@FunctionalInterface
interface TurnRule {

    /**
     * The name of the node whose deletion the contender at {@code ours} must wait for, or null when it holds the
     * lock. {@code sorted} holds every contender's node name in sequence order.
     */
    String blocker(List<String> sorted, int ours);

    /** An exclusive lock (mutex, write lock, leader latch): the first contender holds it; each waits for the one before. */
    TurnRule EXCLUSIVE = (sorted, ours) -> ours == 0 ? null : sorted.get(ours - 1);

    /**
     * A lock shared by readers: a reader holds it when no writer is ahead of it, otherwise it waits for the first
     * writer (as Curator's read lock does).
     */
    static TurnRule sharedUnless(String writerName) {
        return (sorted, ours) -> {
            for (int i = 0; i < ours; i++) {
                if (sorted.get(i).contains(writerName)) {
                    return sorted.get(i);
                }
            }
            return null;
        };
    }
}
