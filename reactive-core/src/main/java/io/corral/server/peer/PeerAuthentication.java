package io.corral.server.peer;

import io.corral.server.peer.QuorumSasl.Frame;
import io.corral.server.peer.QuorumSasl.Status;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Schedulers;

import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

/**
 * The quorum SASL exchange of one peer link, between the hellos and the first protocol message: the dialing server
 * (the learner) sends its responses, the accepting one (the server) answers with challenges until it is satisfied
 * (success: the link is attached on both sides) or not (error: both close it, each with a log line). Each SASL step
 * (DIGEST-MD5 draws random nonces) runs off the event loop; its outcome is applied on it. The two sides take turns,
 * so one step at a time is ever under way.
 */
final class PeerAuthentication {
    private static final Logger log = LoggerFactory.getLogger(PeerAuthentication.class);
    private static final byte[] NONE = new byte[0];

    private final PeerLink link;
    private final QuorumSasl sasl;
    private final boolean dialing;
    private SaslClient client;
    private SaslServer server;
    private boolean succeeded;

    private PeerAuthentication(PeerLink link, QuorumSasl sasl, boolean dialing) {
        this.link = link;
        this.sasl = sasl;
        this.dialing = dialing;
    }

    /** The accepting side: waits for the learner's first response. */
    static PeerAuthentication accepting(PeerLink link, QuorumSasl sasl) {
        return new PeerAuthentication(link, sasl, false);
    }

    /** The dialing side: sends its first (DIGEST-MD5: empty) response at once. */
    static PeerAuthentication dialing(PeerLink link, QuorumSasl sasl) {
        PeerAuthentication a = new PeerAuthentication(link, sasl, true);
        a.offLoop(() -> {
            a.client = sasl.newClient();
            byte[] first = a.client.hasInitialResponse() ? a.client.evaluateChallenge(NONE) : NONE;
            return () -> link.write(new Frame(Status.IN_PROGRESS, first));
        });
        return a;
    }

    /** A frame from the peer during the exchange (event loop). */
    void receive(ByteBuf bytes) {
        Frame frame = Frame.parse(bytes);
        if (frame == null) {
            link.close("a frame that is no quorum SASL frame during the authentication of server " + link.peer());
            return;
        }
        if (dialing) {
            learnerStep(frame);
        } else {
            serverStep(frame);
        }
    }

    private void serverStep(Frame frame) {
        if (frame.status() != Status.IN_PROGRESS) {
            link.close("server " + link.peer() + " ended its quorum SASL authentication (" + frame.status() + ")");
            return;
        }
        offLoop(() -> {
            if (server == null) {
                server = sasl.newServer();
            }
            byte[] challenge;
            try {
                challenge = server.evaluateResponse(frame.token());
            } catch (SaslException e) {
                return () -> {
                    link.write(new Frame(Status.ERROR, NONE));
                    link.close("server " + link.peer() + " failed quorum SASL authentication: " + e.getMessage());
                };
            }
            if (!server.isComplete()) {
                return () -> link.write(new Frame(Status.IN_PROGRESS, challenge == null ? NONE : challenge));
            }
            String who = server.getAuthorizationID();
            return () -> {
                link.write(new Frame(Status.SUCCESS, challenge == null ? NONE : challenge));
                log.info("Server {} authenticated with quorum SASL as '{}'", link.peer(), who);
                link.attach();
            };
        });
    }

    /**
     * Whether the server said success (dialing side): it has attached and may send protocol messages, which must
     * wait until this side has attached too. Reading stops meanwhile.
     */
    boolean succeeded() {
        return succeeded;
    }

    private void learnerStep(Frame frame) {
        if (frame.status() == Status.SUCCESS) {
            succeeded = true;
            link.channel().config().setAutoRead(false);
        }
        if (frame.status() == Status.ERROR) {
            link.close("server " + link.peer() + " refused this server's quorum SASL login as '" + sasl.username()
                    + "' (the learner's JAAS section: a wrong user name or password?)");
            return;
        }
        offLoop(() -> {
            byte[] response = client.isComplete() ? null : client.evaluateChallenge(frame.token());
            if (frame.status() == Status.IN_PROGRESS) {
                return () -> link.write(new Frame(Status.IN_PROGRESS, response == null ? NONE : response));
            }
            if (!client.isComplete()) {
                return () -> link.close("server " + link.peer() + " ended quorum SASL before this server's login "
                        + "completed");
            }
            return () -> {
                log.info("Authenticated with quorum SASL to server {} as '{}'", link.peer(), sasl.username());
                link.attach();
            };
        });
    }

    /** What a step decides, applied on the event loop. */
    private interface Step {
        Runnable run() throws SaslException;
    }

    private void offLoop(Step step) {
        Schedulers.boundedElastic().schedule(() -> {
            Runnable outcome;
            try {
                outcome = step.run();
            } catch (SaslException | RuntimeException e) {
                outcome = () -> link.close("quorum SASL with server " + link.peer() + " failed: " + e.getMessage());
            }
            Runnable apply = outcome;
            link.channel().eventLoop().execute(() -> {
                if (link.channel().isActive()) {
                    apply.run();
                }
            });
        });
    }
}
