package io.corral.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's Netty {@link SslContext} built from {@link ClientTls}; a store that cannot be used (missing, wrong
 * password, not a store) fails with an {@link IllegalArgumentException} that names the file.
 */
final class ClientTlsContext {
    private static final Logger log = LoggerFactory.getLogger(ClientTlsContext.class);

    private final SslContext context;
    private final boolean hostnameVerification;

    private ClientTlsContext(SslContext context, boolean hostnameVerification) {
        this.context = context;
        this.hostnameVerification = hostnameVerification;
    }

    /** Contexts recently built, by what they were built from: a JVM opening many sessions builds one once. */
    private static final Map<List<Object>, ClientTlsContext> RECENT = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<Object>, ClientTlsContext> eldest) {
            return size() > 8;
        }
    };

    /**
     * The context for {@code tls}: the one built before for the same settings and the same store files (same size
     * and modification time, so a replaced file gives a new context), else a new one.
     */
    static ClientTlsContext of(ClientTls tls) {
        List<Object> key = List.of(tls.protocol(), tls.enabledProtocols(), String.valueOf(tls.cipherSuites()),
                tls.hostnameVerification(), tls.openSsl(), identity(tls.keyStore()), identity(tls.trustStore()));
        synchronized (RECENT) {
            ClientTlsContext known = RECENT.get(key);
            if (known != null) {
                return known;
            }
        }
        ClientTlsContext built = build(tls);
        synchronized (RECENT) {
            RECENT.put(key, built);
        }
        return built;
    }

    private static List<Object> identity(ClientTls.Store store) {
        if (store == null) {
            return List.of();
        }
        String stamp;
        try {
            BasicFileAttributes a = Files.readAttributes(store.location(), BasicFileAttributes.class);
            stamp = a.size() + "@" + a.lastModifiedTime();
        } catch (IOException e) {
            stamp = "unreadable"; // build reports it
        }
        return List.of(store.location(), store.type(), new String(store.password()), stamp);
    }

    static ClientTlsContext build(ClientTls tls) {
        SslContextBuilder b = SslContextBuilder.forClient()
                .sslProvider(provider(tls.openSsl()))
                .protocols(tls.enabledProtocols())
                .ciphers(tls.cipherSuites());
        ClientTls.Store keys = tls.keyStore();
        ClientTls.Store trust = tls.trustStore();
        try {
            if (keys != null) {
                if (keys.type().equals("PEM")) { // key and chain in one file, as ZooKeeper's PEM key stores
                    b.keyManager(keys.location().toFile(), keys.location().toFile(), password(keys));
                } else {
                    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                    kmf.init(load(keys), keys.password());
                    b.keyManager(kmf);
                }
            }
            if (trust != null) {
                if (trust.type().equals("PEM")) {
                    b.trustManager(trust.location().toFile());
                } else {
                    TrustManagerFactory tmf = TrustManagerFactory.getInstance(
                            TrustManagerFactory.getDefaultAlgorithm());
                    tmf.init(load(trust));
                    b.trustManager(tmf);
                }
            }
            return new ClientTlsContext(b.build(), tls.hostnameVerification());
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use the TLS stores " + (keys == null ? "" : keys + " ")
                    + (trust == null ? "(JDK default trust)" : trust.toString()) + ": " + e.getMessage(), e);
        }
    }

    /** A PEM key that is not encrypted has no password; Netty wants null then, not an empty one. */
    private static String password(ClientTls.Store store) {
        return store.password().length == 0 ? null : new String(store.password());
    }

    private static KeyStore load(ClientTls.Store store) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(store.type());
        try (InputStream in = Files.newInputStream(store.location())) {
            ks.load(in, store.password());
        } catch (NoSuchFileException e) {
            throw new IOException(store.location() + " does not exist", e);
        } catch (IOException e) {
            throw new IOException(store + ": " + e.getMessage(), e);
        }
        return ks;
    }

    /** netty-tcnative's OpenSSL when asked for and it loads; the JDK's otherwise. */
    static SslProvider provider(boolean openSsl) {
        if (openSsl) {
            if (OpenSsl.isAvailable()) {
                return SslProvider.OPENSSL;
            }
            log.warn("OpenSSL TLS was asked for but netty-tcnative does not load here ({}); using the JDK's TLS",
                    String.valueOf(OpenSsl.unavailabilityCause()));
        }
        return SslProvider.JDK;
    }

    SslContext context() {
        return context;
    }

    /**
     * Sets the engine's endpoint identification: with hostname verification the server's certificate must name the
     * host of the connect string (a DNS name or an IP address among its subject alternative names); without, none.
     */
    void configure(SslHandler handler) {
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm(hostnameVerification ? "HTTPS" : null);
        engine.setSSLParameters(parameters);
    }
}
