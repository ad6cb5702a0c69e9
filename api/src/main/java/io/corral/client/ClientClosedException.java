package io.corral.client;

/** The client was closed (by {@link CorralClient#close()}) before or while the operation ran. */
public final class ClientClosedException extends IllegalStateException {
    public ClientClosedException() {
        super("the client is closed");
    }
}
