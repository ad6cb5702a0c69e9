package io.corral.server.zab;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A shell's part in moving snapshots, in memory, for the harnesses that drive the core directly: what was taken for
 * each learner (read back chunk by chunk as the core asks), and what arrives from the leader until it is installed.
 */
final class InMemorySnapshots {
    /** by peer, then by zxid: a snapshot the core no longer wants may be answered after a newer one */
    private final Map<Long, Map<Long, byte[]>> taken = new HashMap<>();
    private ByteArrayOutputStream receiving;

    /** A snapshot taken for {@code peer} at {@code zxid}. */
    void taken(long peer, long zxid, byte[] state) {
        taken.computeIfAbsent(peer, p -> new HashMap<>()).put(zxid, state);
    }

    /** The chunk the core asks to send. */
    ZabMessage.SnapChunk chunk(ZabOutput.SendSnapshotChunk c) {
        byte[] state = taken.getOrDefault(c.peer(), Map.of()).get(c.zxid());
        if (state == null) {
            throw new AssertionError("a chunk of a snapshot never taken for " + c.peer() + ": " + c);
        }
        if (c.offset() + c.length() > state.length) {
            throw new AssertionError(c + " beyond the " + state.length + " bytes taken");
        }
        return new ZabMessage.SnapChunk(Arrays.copyOfRange(state, (int) c.offset(), (int) c.offset() + c.length()));
    }

    void receive(ZabOutput.ReceiveSnapshot r) {
        receiving = new ByteArrayOutputStream();
    }

    void received(ZabOutput.SnapshotChunk c) {
        if (receiving == null) {
            throw new AssertionError("a snapshot chunk before the snapshot began");
        }
        receiving.writeBytes(c.data());
    }

    /** Every byte of the snapshot arrived: its bytes. */
    byte[] install() {
        if (receiving == null) {
            throw new AssertionError("an install without a snapshot");
        }
        byte[] state = receiving.toByteArray();
        receiving = null;
        return state;
    }

    /** A restart: nothing in memory survives. */
    void clear() {
        taken.clear();
        receiving = null;
    }
}
