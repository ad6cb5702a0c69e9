package io.corral.server.sequencer;

/**
 * What the sequencer does when it finds no work, after Agrona's idle strategies: {@code park} spins briefly, then
 * yields, then lets the caller park (an idle server uses no CPU, a busy one never pays a park/unpark per request);
 * {@code yield} never parks; {@code spin} busy-spins for the lowest latency at the cost of a core.
 */
final class IdleStrategy {
    private static final int SPINS = 100;
    private static final int YIELDS = 50;
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
                spins = SPINS;
                yields = YIELDS;
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
