package io.corral.server.tls;

import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager that, after the usual chain check, requires a client's certificate to name the address the
 * client connects from among its IP subject alternative names: ZooKeeper's server-side hostname verification
 * ({@code ssl.hostnameVerification} with {@code ssl.clientHostnameVerification}), without reverse DNS lookups.
 */
final class ClientHostTrustManager extends X509ExtendedTrustManager {
    private static final int IP_ADDRESS_SAN = 7;

    private final X509ExtendedTrustManager delegate;
    /** The setting that asked for this check, for the refusal's message. */
    private final String key;

    ClientHostTrustManager(X509ExtendedTrustManager delegate, String key) {
        this.delegate = delegate;
        this.key = key;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, engine);
        verifyHost(chain[0], engine.getPeerHost());
    }

    private void verifyHost(X509Certificate leaf, String peerHost) throws CertificateException {
        InetAddress peer = literal(peerHost);
        if (peer != null) {
            for (String san : ipNames(leaf)) {
                if (peer.equals(literal(san))) {
                    return;
                }
            }
        }
        throw new CertificateException("the client certificate " + leaf.getSubjectX500Principal().getName()
                + " does not name the client's address " + peerHost + " (" + key + ")");
    }

    private static List<String> ipNames(X509Certificate leaf) throws CertificateParsingException {
        Collection<List<?>> names = leaf.getSubjectAlternativeNames();
        return names == null ? List.of() : names.stream()
                .filter(n -> n.size() >= 2 && Integer.valueOf(IP_ADDRESS_SAN).equals(n.get(0)))
                .map(n -> String.valueOf(n.get(1))).toList();
    }

    /** An IP literal as an address, never a DNS lookup; null for anything else. */
    private static InetAddress literal(String host) {
        if (host == null || !(host.indexOf(':') >= 0 || host.matches("[0-9.]+"))) {
            return null;
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, socket);
        verifyHost(chain[0], socket.getInetAddress().getHostAddress());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client certificate can only be checked with its connection's address");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
