package io.corral.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link CorralClient}.
 *
 * @param sessionTimeout     requested session timeout; the server clamps it (usually into 2..20 ticks)
 * @param connectionTimeout  how long {@link CorralClient#connect} may take to establish the first session
 * @param auth               credentials sent on every (re)connection, in this order
 * @param canBeReadOnly      whether a read-only server is acceptable
 * @param requestTimeout     upper bound on one operation, from subscription to reply (waiting for room and for a
 *                           reconnection included); null for none. On expiry the operation fails with REQUESTTIMEOUT
 * @param maxPendingRequests at most this many requests in flight; further operations wait for room
 * @param watchBufferSize    events a {@link CorralClient#watch} stream holds for a subscriber that has not asked for
 *                           them yet; one more fails the stream with {@link WatchBufferOverflowException}
 * @param tls                TLS for every connection, or null for plaintext
 * @param shuffleHosts       try the connect string's servers in a random order (ZooKeeper's client does), which
 *                           spreads clients given the same string over the servers; false: in the order written
 * @param followEnsembleConfig watch {@code /zookeeper/config} and take its members' client addresses as the server
 *                           list ({@link CorralClient#updateServerList}), rebalancing when the ensemble changes
 */
public record ClientOptions(Duration sessionTimeout, Duration connectionTimeout, List<AuthInfo> auth,
                            boolean canBeReadOnly, Duration requestTimeout, int maxPendingRequests,
                            int watchBufferSize, ClientTls tls, boolean shuffleHosts, boolean followEnsembleConfig) {

    /** The defaults without TLS, whatever the system properties say ({@link #builder()} reads them). */
    public static final ClientOptions DEFAULTS = new Builder(null).build();

    public ClientOptions {
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        auth = List.copyOf(auth);
        if (sessionTimeout.isNegative() || sessionTimeout.isZero() || sessionTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sessionTimeout out of range: " + sessionTimeout);
        }
        if (connectionTimeout.isNegative() || connectionTimeout.isZero()) {
            throw new IllegalArgumentException("connectionTimeout must be positive: " + connectionTimeout);
        }
        if (requestTimeout != null && (requestTimeout.isNegative() || requestTimeout.isZero())) {
            throw new IllegalArgumentException("requestTimeout must be positive: " + requestTimeout);
        }
        if (maxPendingRequests < 1) {
            throw new IllegalArgumentException("maxPendingRequests must be at least 1: " + maxPendingRequests);
        }
        if (watchBufferSize < 1) {
            throw new IllegalArgumentException("watchBufferSize must be at least 1: " + watchBufferSize);
        }
    }

    /**
     * A builder with the defaults and, as ZooKeeper's client, TLS from the JVM's system properties when
     * {@code zookeeper.client.secure=true} ({@link ClientTlsProperties}).
     *
     * @throws IllegalArgumentException naming the property when those properties are invalid or not supported
     */
    public static Builder builder() {
        return new Builder(ClientTlsProperties.fromSystemProperties());
    }

    public Builder toBuilder() {
        Builder b = new Builder(tls).sessionTimeout(sessionTimeout).connectionTimeout(connectionTimeout)
                .canBeReadOnly(canBeReadOnly).requestTimeout(requestTimeout).maxPendingRequests(maxPendingRequests)
                .watchBufferSize(watchBufferSize).shuffleHosts(shuffleHosts).followEnsembleConfig(followEnsembleConfig);
        b.auth.addAll(auth);
        return b;
    }

    /**
     * Builds {@link ClientOptions}; defaults: 30 s session, 15 s connection, no request timeout, 1000 pending,
     * read-write servers only, 4096 buffered events per watch stream, TLS as the system properties say, servers
     * tried in a random order, the server list the connect string's.
     */
    public static final class Builder {
        private Duration sessionTimeout = Duration.ofSeconds(30);
        private Duration connectionTimeout = Duration.ofSeconds(15);
        private final List<AuthInfo> auth = new ArrayList<>();
        private boolean canBeReadOnly;
        private Duration requestTimeout;
        private int maxPendingRequests = 1000;
        private int watchBufferSize = 4096;
        private ClientTls tls;
        private boolean shuffleHosts = true;
        private boolean followEnsembleConfig;

        private Builder(ClientTls tls) {
            this.tls = tls;
        }

        public Builder sessionTimeout(Duration v) {
            sessionTimeout = v;
            return this;
        }

        public Builder connectionTimeout(Duration v) {
            connectionTimeout = v;
            return this;
        }

        /** Adds digest credentials ({@code user:password}). */
        public Builder digest(String user, String password) {
            auth.add(AuthInfo.digest(user, password));
            return this;
        }

        public Builder auth(AuthInfo info) {
            auth.add(Objects.requireNonNull(info));
            return this;
        }

        /**
         * Accept a server that lost its quorum and serves reads only: the client is then CONNECTED_READ_ONLY,
         * writes fail with NOTREADONLY, and it keeps probing the other servers for a read-write one.
         */
        public Builder canBeReadOnly(boolean v) {
            canBeReadOnly = v;
            return this;
        }

        public Builder requestTimeout(Duration v) {
            requestTimeout = v;
            return this;
        }

        public Builder maxPendingRequests(int v) {
            maxPendingRequests = v;
            return this;
        }

        public Builder watchBufferSize(int v) {
            watchBufferSize = v;
            return this;
        }

        /** Connect with TLS ({@link ClientTls}); null for plaintext. */
        public Builder tls(ClientTls v) {
            tls = v;
            return this;
        }

        /** Whether to try the servers in a random order (the default, as ZooKeeper's client) or as written. */
        public Builder shuffleHosts(boolean v) {
            shuffleHosts = v;
            return this;
        }

        /**
         * Follow the ensemble's membership: the client reads {@code /zookeeper/config} with a watch once connected
         * and after every change, and replaces its server list with the client addresses of the participants and
         * observers (a wildcard client address stands for the host of the quorum address), moving to another server
         * when ZooKeeper's rebalancing says so. Servers whose lines have no client address are not learnt.
         */
        public Builder followEnsembleConfig(boolean v) {
            followEnsembleConfig = v;
            return this;
        }

        public ClientOptions build() {
            return new ClientOptions(sessionTimeout, connectionTimeout, auth, canBeReadOnly, requestTimeout,
                    maxPendingRequests, watchBufferSize, tls, shuffleHosts, followEnsembleConfig);
        }
    }
}
