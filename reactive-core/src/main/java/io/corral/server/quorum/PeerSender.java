package io.corral.server.quorum;

import io.corral.server.peer.PeerNetwork;
import io.corral.server.zab.ZabCodec;
import io.corral.server.zab.ZabMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the shell sends a message to a peer: encoded, counted in the {@link LearnerFigures}, handed to the
 * {@link PeerNetwork}. Sequencer thread only.
 */
final class PeerSender {
    /** the shell's log: its messages are found, and tuned, under {@link ZabQuorum} */
    private static final Logger log = LoggerFactory.getLogger(ZabQuorum.class);

    private final long myId;
    private final ZabCodec codec;
    private final PeerNetwork network;
    private final LearnerFigures learnerFigures;
    private ZabMessage lastEncoded;
    private byte[] lastEncoding;

    PeerSender(long myId, ZabCodec codec, PeerNetwork network, LearnerFigures learnerFigures) {
        this.myId = myId;
        this.codec = codec;
        this.network = network;
        this.learnerFigures = learnerFigures;
    }

    void send(long peer, ZabMessage message) {
        if (log.isTraceEnabled()) {
            log.trace("{} -> {}: {}", myId, peer, message);
        }
        if (message != lastEncoded) { // a proposal or commit goes to every learner: encode it once
            lastEncoded = message;
            lastEncoding = codec.encode(message);
        }
        learnerFigures.sent(peer, message);
        if (!network.send(peer, lastEncoding) && log.isDebugEnabled()) {
            log.debug("Server {} has no link to {}; dropped {}", myId, peer, message);
        }
    }
}
