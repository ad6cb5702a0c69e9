package io.corral.server.sequencer;

/**
 * What the sequencer does when it finds no work, after Agrona's idle strategies: {@code park} (the default) lets
 * the caller park at once, to be woken by the next request or durable write: no CPU goes to waiting, at the cost of
 * a wake-up (a futex call on each side) when work arrives at an idle sequencer; a busy sequencer finds work every
 * round and never parks. {@code yield} spins briefly, then yields and never parks; {@code spin} busy-spins for the
 * lowest latency at the cost of a core. Both burn CPU while the server waits: an operator's explicit choice.
 */
final class IdleStrategy {
    private static final int SPINS = 100;
    private final int spins;
    private final int yields;
    private int idleRounds;

    IdleStrategy(String mode) {
        switch (mode) {
            case "spin" -> {
                spins = Integer.MAX_VALUE;
                yields = 0;
            }
            case "yield" -> {
                spins = SPINS;
                yields = Integer.MAX_VALUE - SPINS;
            }
            default -> {
                spins = 0;
                yields = 0;
            }
        }
    }

    /** Spins or yields for this round; false when the caller should park. */
    boolean spinOrYield() {
        int round = idleRounds;
        if (idleRounds < Integer.MAX_VALUE) {
            idleRounds++;
        }
        if (round < spins) {
            Thread.onSpinWait();
            return true;
        }
        if (round - spins < yields) {
            Thread.yield();
            return true;
        }
        return false;
    }

    void reset() {
        idleRounds = 0;
    }
}
