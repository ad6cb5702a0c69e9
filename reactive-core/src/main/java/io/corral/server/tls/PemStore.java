package io.corral.server.tls;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A PEM file as a key store, as ZooKeeper accepts one: its certificates (the chain, leaf first, or the trusted
 * certificates of a trust store) and at most one PKCS#8 private key, optionally encrypted with the store's password.
 */
final class PemStore {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "DSA");

    private PemStore() {
    }

    static KeyStore load(String text, char[] password) throws GeneralSecurityException, java.io.IOException {
        List<Certificate> certificates = new ArrayList<>();
        PrivateKey key = null;
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (m.group(1)) {
                case "CERTIFICATE" -> certificates.add(factory.generateCertificate(new ByteArrayInputStream(der)));
                case "PRIVATE KEY" -> key = privateKey(new PKCS8EncodedKeySpec(der));
                case "ENCRYPTED PRIVATE KEY" -> key = privateKey(decrypt(der, password));
                default -> throw new GeneralSecurityException("unsupported PEM block '" + m.group(1)
                        + "' (expected CERTIFICATE, PRIVATE KEY or ENCRYPTED PRIVATE KEY)");
            }
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no certificate in the PEM file");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        if (key != null) {
            store.setKeyEntry("key", key, password, certificates.toArray(new Certificate[0]));
        } else {
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("cert-" + i, certificates.get(i));
            }
        }
        return store;
    }

    private static PKCS8EncodedKeySpec decrypt(byte[] der, char[] password)
            throws GeneralSecurityException, java.io.IOException {
        EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
        SecretKeyFactory keys = SecretKeyFactory.getInstance(info.getAlgName());
        Cipher cipher = Cipher.getInstance(info.getAlgName());
        cipher.init(Cipher.DECRYPT_MODE, keys.generateSecret(new PBEKeySpec(password)), info.getAlgParameters());
        return info.getKeySpec(cipher);
    }

    private static PrivateKey privateKey(PKCS8EncodedKeySpec spec) throws GeneralSecurityException {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException wrongAlgorithm) {
                // try the next one: PKCS#8 names its algorithm, but KeyFactory wants to be told
            }
        }
        throw new InvalidKeySpecException("the private key is none of " + KEY_ALGORITHMS);
    }
}
