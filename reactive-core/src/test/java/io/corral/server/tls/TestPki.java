package io.corral.server.tls;

import io.corral.server.compat.CompatHarness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made at test time with the JDK's keytool, never fetched: a test CA, a server certificate for
 * 127.0.0.1 and two client certificates it signed, a rogue CA's client, and an expired server certificate. One set
 * per test JVM (keytool runs cost a second each); every store is PKCS12 with {@link #PASSWORD}, some also as JKS
 * and PEM.
 */
public final class TestPki {
    public static final String PASSWORD = "corral-test";
    public static final String CLIENT_DN = "CN=client,OU=tls-test,O=Corral";
    public static final String SUPER_DN = "CN=admin,OU=tls-test,O=Corral";

    private static TestPki shared;

    private final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /** The JVM's one set, made on first use. */
    public static synchronized TestPki get() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("corral-pki-");
                // deleted when the test JVM ends: its servers read it until then
                Runtime.getRuntime().addShutdownHook(new Thread(() -> CompatHarness.deleteRecursively(dir),
                        "delete-test-pki"));
                TestPki pki = new TestPki(dir);
                pki.make();
                shared = pki;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    public Path dir() { return dir; }
    /** The CA's certificate only: the trust store of servers and clients. */
    public Path trustStore() { return dir.resolve("truststore.p12"); }
    public Path serverKeyStore() { return dir.resolve("server.p12"); }
    /** A second server identity from the same CA (CN=rotated), for rotation. */
    public Path rotatedServerKeyStore() { return dir.resolve("rotated.p12"); }
    public Path clientKeyStore() { return dir.resolve("client.p12"); }
    public Path superKeyStore() { return dir.resolve("admin.p12"); }
    /** A client certificate from a CA nobody trusts. */
    public Path rogueClientKeyStore() { return dir.resolve("rogue-client.p12"); }
    public Path expiredServerKeyStore() { return dir.resolve("expired.p12"); }
    public Path serverKeyStoreJks() { return dir.resolve("server.jks"); }
    public Path trustStoreJks() { return dir.resolve("truststore.jks"); }
    /** The server's key (PKCS#8) and chain in one PEM file. */
    public Path serverPem() { return dir.resolve("server.pem"); }
    public Path trustStorePem() { return dir.resolve("ca.pem"); }

    private void make() throws IOException {
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=Corral Test CA", "-ext", "bc:c", "-validity", "30", "-keystore", "ca.p12");
        keytool("-exportcert", "-alias", "ca", "-rfc", "-file", "ca.pem", "-keystore", "ca.p12");
        keytool("-importcert", "-alias", "ca", "-file", "ca.pem", "-noprompt", "-keystore", "truststore.p12");
        signed("server", "CN=localhost,OU=tls-test,O=Corral", "ca", "30");
        signed("rotated", "CN=rotated,OU=tls-test,O=Corral", "ca", "30");
        signed("client", CLIENT_DN, "ca", "30");
        signed("admin", SUPER_DN, "ca", "30");
        keytool("-genkeypair", "-alias", "rogue-ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=Rogue CA", "-ext", "bc:c", "-validity", "30", "-keystore", "rogue-ca.p12");
        signed("rogue-client", "CN=rogue,O=Elsewhere", "rogue-ca", "30");
        signed("expired", "CN=expired,O=Corral", "ca", "1", "-startdate", "-3d");
        keytool("-importkeystore", "-srckeystore", "server.p12", "-srcstorepass", PASSWORD, "-destkeystore",
                "server.jks", "-deststoretype", "JKS", "-deststorepass", PASSWORD, "-noprompt");
        keytool("-importkeystore", "-srckeystore", "truststore.p12", "-srcstorepass", PASSWORD, "-destkeystore",
                "truststore.jks", "-deststoretype", "JKS", "-deststorepass", PASSWORD, "-noprompt");
        writePem(serverKeyStore(), serverPem());
    }

    /** A key pair whose certificate {@code issuer} signed for 127.0.0.1, with the issuer's chain. */
    private void signed(String name, String dn, String issuer, String days, String... gencertOptions)
            throws IOException {
        String store = name + ".p12";
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dn,
                "-keystore", store);
        keytool("-certreq", "-alias", name, "-file", name + ".csr", "-keystore", store);
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", issuer, "-infile", name + ".csr",
                "-outfile", name + ".crt", "-rfc", "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", days,
                "-keystore", issuer + ".p12"));
        gencert.addAll(List.of(gencertOptions));
        keytool(gencert.toArray(new String[0]));
        keytool("-exportcert", "-alias", issuer, "-rfc", "-file", issuer + "-issuer.pem", "-keystore",
                issuer + ".p12");
        keytool("-importcert", "-alias", issuer, "-file", issuer + "-issuer.pem", "-noprompt", "-keystore", store);
        keytool("-importcert", "-alias", name, "-file", name + ".crt", "-keystore", store);
    }

    private void writePem(Path p12, Path pem) throws IOException {
        try {
            KeyStore ks = load(p12);
            String alias = ks.aliases().nextElement();
            for (String a : java.util.Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(a)) {
                    alias = a;
                }
            }
            Key key = ks.getKey(alias, PASSWORD.toCharArray());
            StringBuilder text = new StringBuilder(block("PRIVATE KEY", key.getEncoded()));
            for (Certificate c : ks.getCertificateChain(alias)) {
                text.append(block("CERTIFICATE", c.getEncoded()));
            }
            Files.writeString(pem, text.toString(), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    public static KeyStore load(Path p12) {
        try (InputStream in = Files.newInputStream(p12)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The config keys naming a key and a trust store, e.g. with {@code prefix} "ssl.quorum.". */
    public static Map<String, String> storeKeys(String prefix, Path keyStore, Path trustStore) {
        return Map.of(prefix + "keyStore.location", keyStore.toString(), prefix + "keyStore.password", PASSWORD,
                prefix + "trustStore.location", trustStore.toString(), prefix + "trustStore.password", PASSWORD);
    }

    /** A client-side JDK context trusting the test CA, presenting {@code keyStore}'s certificate (null: none). */
    public SSLContext clientContext(Path keyStore) {
        try {
            KeyManagerFactory kmf = null;
            if (keyStore != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load(keyStore), PASSWORD.toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(trustStore()));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final java.util.Set<String> FILE_OPTIONS = java.util.Set.of("-keystore", "-file", "-infile",
            "-outfile", "-srckeystore", "-destkeystore");

    /**
     * Runs the JDK's keytool in this JVM (its class, not a process per call: a JVM start per certificate step made the
     * set take minutes on a loaded machine); files are resolved in {@link #dir}.
     */
    private void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            boolean file = i > 0 && FILE_OPTIONS.contains(args[i - 1]);
            command.add(file ? dir.resolve(args[i]).toString() : args[i]);
        }
        boolean generating = args[0].equals("-genkeypair") || args[0].equals("-importcert")
                || args[0].equals("-certreq") || args[0].equals("-gencert") || args[0].equals("-exportcert");
        if (generating) {
            command.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
        }
        if (args[0].equals("-genkeypair")) {
            command.addAll(List.of("-keypass", PASSWORD));
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            Class<?> main = Class.forName("sun.security.tools.keytool.Main");
            java.lang.reflect.Constructor<?> create = main.getDeclaredConstructor();
            create.setAccessible(true);
            java.lang.reflect.Method run = main.getDeclaredMethod("run", String[].class, java.io.PrintStream.class);
            run.setAccessible(true);
            Object keytool = create.newInstance();
            run.invoke(keytool, command.toArray(new String[0]), new java.io.PrintStream(out, true));
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out, e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the JDK's keytool class cannot be run (needs --add-opens "
                    + "java.base/sun.security.tools.keytool=ALL-UNNAMED)", e);
        }
    }
}
