package io.corral.server.tls;

import io.corral.protocol.Id;
import io.corral.server.auth.AuthProviders;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The ids a TLS client's certificate gives its connection, as ZooKeeper's {@code X509AuthenticationProvider}:
 * {@code x509:<subject DN in RFC 2253 form>}, preceded by the super id when the DN is the configured
 * {@code X509AuthenticationProvider.superUser} (whoAmI shows it as {@code super} with an empty user, as ZooKeeper's). A client without a certificate gets none.
 */
public final class X509Identity {
    public static final String SCHEME = "x509";

    private X509Identity() {
    }

    static List<Id> of(SSLSession session, String superUser) {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException noCertificate) {
            return List.of();
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return List.of();
        }
        String dn = leaf.getSubjectX500Principal().getName();
        Id x509 = new Id(SCHEME, dn);
        return dn.equals(superUser) ? List.of(AuthProviders.SUPER, x509) : List.of(x509);
    }
}
