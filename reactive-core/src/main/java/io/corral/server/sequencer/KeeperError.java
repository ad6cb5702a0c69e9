package io.corral.server.sequencer;

/** A validation failure carrying ZooKeeper's error code; cheap (no stack trace), it is routine control flow. */
final class KeeperError extends Exception {
    final int code;

    KeeperError(int code) {
        super(null, null, false, false);
        this.code = code;
    }
}
