package io.corral.server.tls;

import io.corral.server.config.ConfigException;
import io.corral.server.config.TlsConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds Netty {@link SslContext}s from ZooKeeper's {@code ssl.*} (or {@code ssl.quorum.*}) settings: the server
 * side of a port, and the dialing side of a peer link, which presents the same key and trusts the same store.
 */
final class TlsContexts {
    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);

    private TlsContexts() {
    }

    /** The accepting side: asks for (or requires) the other side's certificate as {@code clientAuth} says. */
    static SslContext forServer(TlsConfig.Settings settings) {
        return build(settings, true);
    }

    /**
     * The dialing side of a peer link: presents this server's certificate and checks the accepting server's against
     * the trust store and, with {@code hostnameVerification}, against the address dialed.
     */
    static SslContext forClient(TlsConfig.Settings settings) {
        return build(settings, false);
    }

    private static SslContext build(TlsConfig.Settings settings, boolean server) {
        String keyStoreKey = settings.prefix() + "keyStore.location";
        KeyStore keys = StoreLoader.keyStore(keyStoreKey, settings.keyStore());
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, settings.keyStore().password());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(settings.trustStore() == null ? null
                    : StoreLoader.trustStore(settings.prefix() + "trustStore.location", settings.trustStore()));
            X509ExtendedTrustManager trust = x509(tmf);
            SslContextBuilder builder = server ? serverSide(kmf, trust, settings)
                    : SslContextBuilder.forClient().keyManager(kmf).trustManager(trust)
                            .endpointIdentificationAlgorithm(settings.hostnameVerification() ? "HTTPS" : null);
            return builder.sslProvider(provider(settings))
                    .protocols(settings.enabledProtocols())
                    .ciphers(settings.cipherSuites())
                    .build();
        } catch (SSLException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException(keyStoreKey, "Cannot build a TLS context from "
                    + settings.keyStore() + (settings.trustStore() == null ? "" : " and " + settings.trustStore())
                    + ": " + e.getMessage(), e);
        }
    }

    private static SslContextBuilder serverSide(KeyManagerFactory kmf, X509ExtendedTrustManager trust,
                                                TlsConfig.Settings settings) {
        SslContextBuilder builder = SslContextBuilder.forServer(kmf)
                .clientAuth(switch (settings.clientAuth()) {
                    case NEED -> ClientAuth.REQUIRE;
                    case WANT -> ClientAuth.OPTIONAL;
                    case NONE -> ClientAuth.NONE;
                });
        if (settings.clientAuth() != TlsConfig.ClientAuth.NONE) {
            builder.trustManager(settings.hostnameVerification() && settings.clientHostnameVerification()
                    ? new ClientHostTrustManager(trust, settings.prefix() + "hostnameVerification") : trust);
        }
        return builder;
    }

    private static X509ExtendedTrustManager x509(TrustManagerFactory tmf) {
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new IllegalArgumentException("the trust store gives no X.509 trust manager");
    }

    /** OpenSSL (netty-tcnative's BoringSSL) when asked for and it loads; the JDK's otherwise. */
    private static SslProvider provider(TlsConfig.Settings settings) {
        if (settings.provider() == TlsConfig.Provider.OPENSSL) {
            if (OpenSsl.isAvailable()) {
                return SslProvider.OPENSSL;
            }
            log.warn("{}sslProvider=OPENSSL but netty-tcnative does not load here ({}); using the JDK's TLS",
                    settings.prefix(), String.valueOf(OpenSsl.unavailabilityCause()));
        }
        return SslProvider.JDK;
    }
}
