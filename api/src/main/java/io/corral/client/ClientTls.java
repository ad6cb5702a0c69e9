package io.corral.client;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a {@link CorralClient} secures its connections with TLS: the server's certificate is checked against
 * {@code trustStore} (the JDK's default trust when null) and, with {@code hostnameVerification}, must name the host
 * of the connect string; {@code keyStore}, when given, holds the client certificate the server may ask for (its
 * subject is the session's {@code x509} identity). Made with {@link #builder()} or, with ZooKeeper's client property
 * names and defaults, by {@link ClientTlsProperties#read}.
 *
 * @param keyStore            the client's key and certificate chain, or null for none
 * @param trustStore          the certificates trusted to sign the server's, or null for the JDK's default trust
 * @param protocol            the preferred protocol ({@code zookeeper.ssl.protocol}, default TLSv1.3)
 * @param enabledProtocols    the protocols offered (default TLSv1.3 and TLSv1.2 when the protocol is TLSv1.3)
 * @param cipherSuites        the cipher suites offered, or null for the provider's defaults
 * @param hostnameVerification whether the server's certificate must name the host connected to (default true)
 * @param openSsl             whether to use netty-tcnative's OpenSSL where it loads ({@code zookeeper.ssl.sslProvider})
 */
public record ClientTls(Store keyStore, Store trustStore, String protocol, List<String> enabledProtocols,
                        List<String> cipherSuites, boolean hostnameVerification, boolean openSsl) {

    /** A key or trust store file: PKCS12, JKS or PEM (a PEM key store holds the key and its chain in one file). */
    public record Store(Path location, char[] password, String type) {
        public Store {
            Objects.requireNonNull(location, "location");
            password = password == null ? new char[0] : password.clone();
            type = type == null ? typeFromName(location) : type.toUpperCase(Locale.ROOT);
            if (!List.of("PKCS12", "JKS", "PEM").contains(type)) {
                throw new IllegalArgumentException("store type " + type + " of " + location
                        + " is not supported (PKCS12, JKS or PEM)");
            }
        }

        /** A store whose type follows from its file name (.p12/.pfx, .jks, .pem/.crt/.key), as ZooKeeper's. */
        public static Store of(Path location, String password) {
            return new Store(location, password == null ? null : password.toCharArray(), null);
        }

        /**
         * The type ZooKeeper infers from a store's file name when none is given (.jks, .pem/.crt/.key, .p12/.pfx),
         * or null when the name does not tell.
         */
        public static String typeOf(Path location) {
            String name = location.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".jks")) {
                return "JKS";
            }
            if (name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".key")) {
                return "PEM";
            }
            if (name.endsWith(".p12") || name.endsWith(".pfx")) {
                return "PKCS12";
            }
            return null;
        }

        private static String typeFromName(Path location) {
            String type = typeOf(location);
            if (type == null) {
                throw new IllegalArgumentException("cannot tell the type of " + location
                        + " from its name; give its type (PKCS12, JKS or PEM)");
            }
            return type;
        }

        @Override
        public String toString() {
            return type + " " + location;
        }
    }

    public ClientTls {
        Objects.requireNonNull(protocol, "protocol");
        enabledProtocols = List.copyOf(enabledProtocols);
        cipherSuites = cipherSuites == null ? null : List.copyOf(cipherSuites);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ClientTls}; defaults as ZooKeeper's client: TLSv1.3 (and 1.2), hostnames verified, JDK TLS. */
    public static final class Builder {
        private Store keyStore;
        private Store trustStore;
        private String protocol = "TLSv1.3";
        private List<String> enabledProtocols;
        private List<String> cipherSuites;
        private boolean hostnameVerification = true;
        private boolean openSsl;

        private Builder() {
        }

        /** The client certificate (and its key) to present; none by default. */
        public Builder keyStore(Store v) {
            keyStore = v;
            return this;
        }

        public Builder trustStore(Store v) {
            trustStore = v;
            return this;
        }

        public Builder protocol(String v) {
            protocol = v;
            return this;
        }

        public Builder enabledProtocols(List<String> v) {
            enabledProtocols = v;
            return this;
        }

        public Builder cipherSuites(List<String> v) {
            cipherSuites = v;
            return this;
        }

        public Builder hostnameVerification(boolean v) {
            hostnameVerification = v;
            return this;
        }

        /** Prefer netty-tcnative's OpenSSL (BoringSSL) when it is on the classpath and loads; else the JDK's TLS. */
        public Builder openSsl(boolean v) {
            openSsl = v;
            return this;
        }

        public ClientTls build() {
            List<String> protocols = enabledProtocols != null ? enabledProtocols
                    : protocol.equals("TLSv1.3") ? List.of("TLSv1.3", "TLSv1.2") : List.of(protocol);
            return new ClientTls(keyStore, trustStore, protocol, protocols, cipherSuites, hostnameVerification,
                    openSsl);
        }
    }
}
