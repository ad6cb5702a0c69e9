package io.corral.server.tls;

import io.corral.server.config.ConfigException;
import io.corral.server.config.TlsConfig.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Collections;

/**
 * Reads key and trust store files (PKCS12, JKS, PEM). Whatever is wrong with one (missing, unreadable, wrong
 * password, no key, an expired certificate) is a {@link ConfigException} that names the file, so start-up stops
 * with a line the operator can act on.
 */
final class StoreLoader {
    private StoreLoader() {
    }

    /** A key store with exactly the server's key; its certificate must be valid now. */
    static KeyStore keyStore(String key, Store store) {
        KeyStore ks = load(key, store);
        try {
            String alias = null;
            for (String a : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(a)) {
                    alias = a;
                    break;
                }
            }
            if (alias == null) {
                throw fail(key, store, "it holds no private key");
            }
            ks.getKey(alias, store.password()); // a wrong key password shows here, not in load
            Certificate leaf = ks.getCertificate(alias);
            if (leaf instanceof X509Certificate x509) {
                checkValid(key, store, x509);
            }
            return ks;
        } catch (UnrecoverableKeyException e) {
            throw fail(key, store, "the password does not open its private key");
        } catch (GeneralSecurityException e) {
            throw fail(key, store, e.toString());
        }
    }

    /** A trust store; it must hold at least one certificate. */
    static KeyStore trustStore(String key, Store store) {
        KeyStore ks = load(key, store);
        try {
            if (ks.size() == 0) {
                throw fail(key, store, "it holds no certificate");
            }
        } catch (GeneralSecurityException e) {
            throw fail(key, store, e.toString());
        }
        return ks;
    }

    private static void checkValid(String key, Store store, X509Certificate certificate) {
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException e) {
            throw fail(key, store, "its certificate " + certificate.getSubjectX500Principal().getName()
                    + " expired on " + certificate.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw fail(key, store, "its certificate " + certificate.getSubjectX500Principal().getName()
                    + " is not valid before " + certificate.getNotBefore().toInstant());
        }
    }

    private static KeyStore load(String key, Store store) {
        try {
            if (store.type().equals("PEM")) {
                return PemStore.load(Files.readString(store.location(), StandardCharsets.US_ASCII), store.password());
            }
            KeyStore ks = KeyStore.getInstance(store.type());
            try (InputStream in = Files.newInputStream(store.location())) {
                ks.load(in, store.password());
            }
            return ks;
        } catch (NoSuchFileException e) {
            throw fail(key, store, "the file does not exist");
        } catch (IOException e) {
            // KeyStore.load reports a wrong password as an IOException whose cause is UnrecoverableKeyException
            boolean password = e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password");
            throw fail(key, store, password ? "wrong password (" + e.getMessage() + ")" : e.toString());
        } catch (GeneralSecurityException e) {
            throw fail(key, store, e.toString());
        }
    }

    private static ConfigException fail(String key, Store store, String why) {
        return new ConfigException(key, "Cannot use " + store + " (" + key + "): " + why);
    }
}
