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

/** Builds a server-side Netty {@link SslContext} from ZooKeeper's {@code ssl.*} settings. */
final class ServerTlsContext {
    private static final Logger log = LoggerFactory.getLogger(ServerTlsContext.class);

    private ServerTlsContext() {
    }

    static SslContext build(TlsConfig.Settings settings) {
        KeyStore keys = StoreLoader.keyStore("ssl.keyStore.location", settings.keyStore());
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, settings.keyStore().password());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(settings.trustStore() == null ? null
                    : StoreLoader.trustStore("ssl.trustStore.location", settings.trustStore()));
            SslContextBuilder builder = SslContextBuilder.forServer(kmf)
                    .sslProvider(provider(settings.provider()))
                    .clientAuth(switch (settings.clientAuth()) {
                        case NEED -> ClientAuth.REQUIRE;
                        case WANT -> ClientAuth.OPTIONAL;
                        case NONE -> ClientAuth.NONE;
                    })
                    .protocols(settings.enabledProtocols())
                    .ciphers(settings.cipherSuites());
            if (settings.clientAuth() != TlsConfig.ClientAuth.NONE) {
                builder.trustManager(trustManager(tmf, settings));
            }
            return builder.build();
        } catch (SSLException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException("ssl.keyStore.location", "Cannot build a TLS context from "
                    + settings.keyStore() + (settings.trustStore() == null ? "" : " and " + settings.trustStore())
                    + ": " + e.getMessage(), e);
        }
    }

    private static TrustManager trustManager(TrustManagerFactory tmf, TlsConfig.Settings settings) {
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x509) {
                return settings.hostnameVerification() && settings.clientHostnameVerification()
                        ? new ClientHostTrustManager(x509) : x509;
            }
        }
        throw new IllegalArgumentException("the trust store gives no X.509 trust manager");
    }

    /** OpenSSL (netty-tcnative's BoringSSL) when asked for and it loads; the JDK's otherwise. */
    static SslProvider provider(TlsConfig.Provider wanted) {
        if (wanted == TlsConfig.Provider.OPENSSL) {
            if (OpenSsl.isAvailable()) {
                return SslProvider.OPENSSL;
            }
            log.warn("ssl.sslProvider=OPENSSL but netty-tcnative does not load here ({}); using the JDK's TLS",
                    String.valueOf(OpenSsl.unavailabilityCause()));
        }
        return SslProvider.JDK;
    }
}
