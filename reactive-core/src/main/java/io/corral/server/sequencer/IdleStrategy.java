package io.corral.server.sequencer;

/**
 * Back-off when the sequencer finds no work: spin briefly, then yield, then park (the caller parks, so that an
 * idle server uses no CPU while a busy one never pays a park/unpark per request).
 */
final class IdleStrategy {
    private static final int SPINS = 100;
    private static final int YIELDS = 50;
    private int idleRounds;

    /** Spins or yields for this round; false when the caller should park. */
    boolean spinOrYield() {
        int round = idleRounds++;
        if (round < SPINS) {
            Thread.onSpinWait();
            return true;
        }
        if (round < SPINS + YIELDS) {
            Thread.yield();
            return true;
        }
        return false;
    }

    void reset() {
        idleRounds = 0;
    }
}
