package io.corral.protocol;

/** Corral's unsubscribe (opcode 5002): ends a subscription of this connection; no frame of it follows the reply. */
public record UnsubscribeRequest(int subscription) implements Record {
    public static UnsubscribeRequest read(JuteInput in) {
        return new UnsubscribeRequest(in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(subscription);
    }
}
