package io.corral.server.quorum;

/**
 * A server's two epochs in the simulation: in memory, durable at once, surviving its crashes. Checks that they only
 * move forward and that the current epoch never passes the accepted one.
 */
final class SimEpochs implements EpochStore {

    private final long server;
    private long accepted;
    private long current;

    SimEpochs(long server) {
        this.server = server;
    }

    @Override
    public long accepted() {
        return accepted;
    }

    @Override
    public long current() {
        return current;
    }

    @Override
    public void write(long acceptedEpoch, long currentEpoch) {
        if (acceptedEpoch < accepted || currentEpoch < current || currentEpoch > acceptedEpoch) {
            throw new AssertionError("server " + server + " epochs " + accepted + "/" + current + " -> "
                    + acceptedEpoch + "/" + currentEpoch);
        }
        accepted = acceptedEpoch;
        current = currentEpoch;
    }
}
