package io.corral.server.peer;

import io.corral.server.auth.SaslServerCallbacks;
import io.corral.server.config.QuorumSaslConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.RealmCallback;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

/**
 * Quorum SASL on a peer link ({@link QuorumSaslConfig}): DIGEST-MD5 with ZooKeeper's protocol and server names, the
 * dialing server the SASL client, the accepting one the SASL server. Between the hellos and the first protocol message
 * the two exchange frames of their own: magic, a status (in progress, success, error) and a token.
 */
final class QuorumSasl {
    static final QuorumSasl OFF = new QuorumSasl(QuorumSaslConfig.OFF);
    /** ZooKeeper's names for quorum SASL (QuorumAuth) */
    private static final String PROTOCOL = "zookeeper-quorum";
    private static final String SERVER_NAME = "zk-quorum-sasl-md5";
    private static final String MECHANISM = "DIGEST-MD5";
    private static final int MAGIC = 0x43524C53; // "CRLS"

    enum Status { IN_PROGRESS, SUCCESS, ERROR }

    /** One frame of the exchange. */
    record Frame(Status status, byte[] token) {
        void writeTo(ByteBuf out) {
            out.writeInt(4 + 1 + token.length);
            out.writeInt(MAGIC);
            out.writeByte(status.ordinal());
            out.writeBytes(token);
        }

        ByteBuf encode(ByteBufAllocator alloc) {
            ByteBuf buf = alloc.buffer(4 + 4 + 1 + token.length);
            writeTo(buf);
            return buf;
        }

        /** Parses a frame (without its length prefix); null if it is not one. */
        static Frame parse(ByteBuf frame) {
            if (frame.readableBytes() < 5 || frame.readInt() != MAGIC) {
                return null;
            }
            int status = frame.readByte();
            if (status < 0 || status >= Status.values().length) {
                return null;
            }
            byte[] token = new byte[frame.readableBytes()];
            frame.readBytes(token);
            return new Frame(Status.values()[status], token);
        }
    }

    private final QuorumSaslConfig config;

    QuorumSasl(QuorumSaslConfig config) {
        this.config = config;
    }

    boolean enabled() {
        return config.enabled();
    }

    boolean learnerRequired() {
        return config.learnerRequired();
    }

    boolean serverRequired() {
        return config.serverRequired();
    }

    String username() {
        return config.username();
    }

    /** The dialing side's client, logging in as the learner's JAAS section says. */
    SaslClient newClient() throws SaslException {
        return Sasl.createSaslClient(new String[] {MECHANISM}, null, PROTOCOL, SERVER_NAME, null,
                (Callback[] callbacks) -> {
                    for (Callback callback : callbacks) {
                        if (callback instanceof NameCallback name) {
                            name.setName(config.username());
                        } else if (callback instanceof PasswordCallback password) {
                            password.setPassword(config.password().toCharArray());
                        } else if (callback instanceof RealmCallback realm) {
                            realm.setText(realm.getDefaultText());
                        }
                    }
                });
    }

    /** The accepting side's server, checking the users of the server's JAAS section. */
    SaslServer newServer() throws SaslException {
        return Sasl.createSaslServer(MECHANISM, PROTOCOL, SERVER_NAME, null,
                new SaslServerCallbacks(config.credentials(), null, "", false, false));
    }

    @Override
    public String toString() {
        return !config.enabled() ? "" : ", quorum SASL" + (config.learnerRequired() ? ": learners authenticate" : "")
                + (config.serverRequired() ? ", servers require it" : "");
    }
}
