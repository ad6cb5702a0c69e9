package io.corral.server.quorum;

import java.util.HashMap;
import java.util.Map;

/**
 * The snapshots on their way between this server and its peers: as a leader, the one taken for each learner until its
 * last chunk is out; as a learner, the one arriving from the leader until it is installed. Each is held by the
 * host (on disk), so a learner any distance behind costs neither side more memory than a chunk.
 */
final class SnapshotTransfers implements AutoCloseable {
    private final Map<Long, QuorumHost.SnapshotImage> sending = new HashMap<>();
    private QuorumHost.SnapshotSink receiving;

    /** The snapshot taken for {@code peer}, replacing any earlier one. */
    void taken(long peer, QuorumHost.SnapshotImage image) {
        QuorumHost.SnapshotImage previous = sending.put(peer, image);
        if (previous != null) {
            previous.close();
        }
    }

    /**
     * Bytes of the snapshot taken for {@code peer}; it goes once its last byte is read. Null if it is gone: the
     * peer's link dropped after the core asked for the chunk (in the same poll), and its stream with it.
     */
    byte[] chunk(long peer, long zxid, long offset, int length) {
        QuorumHost.SnapshotImage image = sending.get(peer);
        if (image == null || image.zxid() != zxid) {
            return null;
        }
        byte[] bytes = image.read(offset, length);
        if (offset + length >= image.size()) {
            sending.remove(peer);
            image.close();
        }
        return bytes;
    }

    /** {@code peer}'s link is gone: its stream starts over, with a snapshot of its own if it needs one. */
    void peerGone(long peer) {
        QuorumHost.SnapshotImage image = sending.remove(peer);
        if (image != null) {
            image.close();
        }
    }

    /** A snapshot from the leader begins to arrive, replacing any partial one. */
    void receive(QuorumHost.SnapshotSink sink) {
        dropReceiving();
        receiving = sink;
    }

    void received(byte[] chunk) {
        if (receiving == null) {
            throw new IllegalStateException("a snapshot chunk arrived, but no snapshot began");
        }
        receiving.write(chunk);
    }

    /** Every byte arrived: the host installs it. */
    void install() {
        if (receiving == null) {
            throw new IllegalStateException("no snapshot to install");
        }
        try {
            receiving.install();
        } finally {
            dropReceiving();
        }
    }

    private void dropReceiving() {
        if (receiving != null) {
            receiving.close();
            receiving = null;
        }
    }

    /** The term ended: nothing of its snapshots is needed any more. */
    @Override
    public void close() {
        sending.values().forEach(QuorumHost.SnapshotImage::close);
        sending.clear();
        dropReceiving();
    }
}
