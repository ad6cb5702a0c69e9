package io.corral.server.compat;

import io.corral.net.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.server.SimpleKdcServer;

/**
 * An Apache Kerby KDC in this JVM (as ZooKeeper's own tests use), on 127.0.0.1 and a free TCP port, realm
 * {@value #REALM}, with its own {@code krb5.conf} (TCP only, no DNS) in a temporary directory. Keytabs of the
 * principals a test asks for are written beside it. {@link #close()} stops the KDC and removes the directory.
 */
final class KerberosKdc implements AutoCloseable {
    static final String REALM = "EXAMPLE.COM";

    private final Path dir;
    private final SimpleKdcServer kdc;
    private final Path krb5Conf;

    private KerberosKdc(Path dir, SimpleKdcServer kdc, Path krb5Conf) {
        this.dir = dir;
        this.kdc = kdc;
        this.krb5Conf = krb5Conf;
    }

    static KerberosKdc start() {
        Path dir = CompatHarness.newTempDir("kdc-");
        // Kerby's init sets java.security.krb5.conf to a file of its own; the caller decides which one the JVM uses
        String before = System.getProperty("java.security.krb5.conf");
        try {
            int port = LoopbackPorts.reserve(1).get(0);
            SimpleKdcServer kdc = new SimpleKdcServer();
            kdc.setWorkDir(dir.toFile());
            kdc.setKdcHost("127.0.0.1");
            kdc.setKdcRealm(REALM);
            kdc.setKdcTcpPort(port);
            kdc.setAllowUdp(false);
            kdc.init();
            kdc.start();
            Path krb5Conf = dir.resolve("corral-krb5.conf");
            Files.writeString(krb5Conf, String.join("\n",
                    "[libdefaults]",
                    "    default_realm = " + REALM,
                    "    udp_preference_limit = 1",
                    "    dns_lookup_kdc = false",
                    "    dns_lookup_realm = false",
                    "    dns_canonicalize_hostname = false",
                    "    rdns = false",
                    "[realms]",
                    "    " + REALM + " = {",
                    "        kdc = 127.0.0.1:" + port,
                    "    }",
                    "[domain_realm]",
                    "    localhost = " + REALM,
                    ""), StandardCharsets.UTF_8);
            return new KerberosKdc(dir, kdc, krb5Conf);
        } catch (KrbException | IOException e) {
            CompatHarness.deleteRecursively(dir);
            throw new IllegalStateException("Cannot start the Kerby KDC", e);
        } finally {
            restore("java.security.krb5.conf", before);
        }
    }

    /** Sets a system property back to what it was (cleared when it was unset). */
    static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    /** The Kerberos configuration a client or server of this KDC uses ({@code java.security.krb5.conf}). */
    Path krb5Conf() {
        return krb5Conf;
    }

    /** The directory of the KDC's files, where a test may put its own (a JAAS file). */
    Path dir() {
        return dir;
    }

    /** Creates the principal with a random key and exports it to a keytab of its own; returns the keytab. */
    Path principalWithKeytab(String principal) {
        Path keytab = dir.resolve(principal.replaceAll("[^A-Za-z0-9]", "_") + ".keytab");
        try {
            kdc.createPrincipal(principal);
            kdc.exportPrincipal(principal, keytab.toFile());
        } catch (KrbException e) {
            throw new IllegalStateException("Cannot create " + principal, e);
        }
        return keytab;
    }

    /** Creates the principal with a random key the tests never see. */
    void principal(String principal) {
        try {
            kdc.createPrincipal(principal);
        } catch (KrbException e) {
            throw new IllegalStateException("Cannot create " + principal, e);
        }
    }

    @Override
    public void close() {
        try {
            kdc.stop();
        } catch (KrbException e) {
            throw new IllegalStateException(e);
        } finally {
            CompatHarness.deleteRecursively(dir);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
