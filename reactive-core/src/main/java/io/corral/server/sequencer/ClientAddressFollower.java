package io.corral.server.sequencer;

import io.corral.server.config.EnsembleConfig;
import io.corral.server.config.ServerLines;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * Where this server takes clients, as the configuration in force says: a reconfiguration that changes the client part
 * of this server's line moves its client port (ZooKeeper reconfigures its connection factory so). Told of each
 * activated configuration on the sequencer thread; the listener must not block (it hands the move to a thread).
 */
final class ClientAddressFollower {
    private final long myId;
    private InetSocketAddress current;
    private volatile Consumer<InetSocketAddress> moved = address -> { };

    ClientAddressFollower(long myId, InetSocketAddress initial) {
        this.myId = myId;
        this.current = initial;
    }

    void onMoved(Consumer<InetSocketAddress> listener) {
        this.moved = listener;
    }

    void activated(ServerLines lines) {
        EnsembleConfig.Member me = lines.members().get(myId);
        if (me != null && me.clientAddress() != null && !me.clientAddress().equals(current)) {
            current = me.clientAddress();
            moved.accept(current);
        }
    }
}
