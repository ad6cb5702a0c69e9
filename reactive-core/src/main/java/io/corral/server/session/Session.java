package io.corral.server.session;

/** A client session. Owned by the sequencer thread. */
public final class Session {
    private final long id;
    private final byte[] password;
    int timeout;
    long expiresAt;
    boolean closing;

    Session(long id, byte[] password, int timeout) {
        this.id = id;
        this.password = password;
        this.timeout = timeout;
    }

    public long id() {
        return id;
    }

    public byte[] password() {
        return password;
    }

    public int timeout() {
        return timeout;
    }

    public long expiresAt() {
        return expiresAt;
    }

    public boolean isClosing() {
        return closing;
    }

    public void markClosing() {
        closing = true;
    }
}
