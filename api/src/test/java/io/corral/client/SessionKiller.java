package io.corral.client;

import reactor.test.StepVerifier;

/**
 * Expires a client's session on purpose, for tests of what a session loss does to other code (recipes): the
 * client's connection goes through a {@link TcpProxy}; it is cut and refused, a second connection takes the session
 * over and closes it, then the client may reconnect and is told the session expired.
 */
public final class SessionKiller {
    private SessionKiller() {
    }

    /** Returns once {@code victim} has reported EXPIRED. Runs on the test thread (it waits). */
    public static void expire(CorralClient victim, TcpProxy proxy, String serverConnectString) {
        byte[] password = AbstractClientContract.await(victim.password());
        proxy.refuse(true);
        StepVerifier.create(victim.states().skip(1).take(1))
                .then(proxy::cutAll)
                .expectNext(ConnectionState.SUSPENDED)
                .verifyComplete();
        CorralClient thief = AbstractClientContract.await(CorralClient.resume(serverConnectString,
                ClientOptions.DEFAULTS, victim.sessionId(), password));
        AbstractClientContract.run(thief.close());
        StepVerifier.create(victim.states().skip(1))
                .then(() -> proxy.refuse(false))
                .expectNext(ConnectionState.EXPIRED)
                .verifyComplete();
    }
}
