package io.corral.server.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * JVM-wide settings shared by every compatibility test, plus small utilities.
 *
 * <p>Apache ZooKeeper reads several settings from system properties, some of them only once (at class
 * initialisation). They are therefore set here, in a static initialiser that both server factories trigger before
 * touching any ZooKeeper server class. All of them are harmless for the Corral variants.
 */
public final class CompatHarness {

    /** {@code user:password} of the super user, for {@code zk.addAuthInfo("digest", SUPER_USER_PASSWORD.getBytes())}. */
    public static final String SUPER_USER_PASSWORD = "super:secret";

    /** {@code super:BASE64(SHA1("super:secret"))}, configured as the server's super digest. */
    public static final String SUPER_DIGEST = digestId(SUPER_USER_PASSWORD);

    static {
        System.setProperty("zookeeper.extendedTypesEnabled", "true");
        System.setProperty("zookeeper.DigestAuthenticationProvider.superDigest", SUPER_DIGEST);
        System.setProperty("zookeeper.4lw.commands.whitelist", "*");
        System.setProperty("zookeeper.admin.enableServer", "false");
        // The client would otherwise look for a JAAS configuration and log about it.
        System.setProperty("zookeeper.sasl.client", "false");
        // Hard quotas refuse writes (QuotaContract); without a quota it changes nothing.
        System.setProperty("zookeeper.enforceQuota", "true");
    }

    private CompatHarness() {
    }

    /** Forces the static initialiser (system properties) to run. Idempotent. */
    public static void init() {
        // the static initialiser does the work
    }

    /**
     * The digest ACL id for {@code user:password}: {@code user:BASE64(SHA1(user:password))}. Computed here rather than
     * with ZooKeeper's DigestAuthenticationProvider, whose static initialiser must not run before the super digest
     * property is set.
     */
    public static String digestId(String userColonPassword) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(userColonPassword.getBytes(StandardCharsets.UTF_8));
            String user = userColonPassword.substring(0, userColonPassword.indexOf(':'));
            return user + ":" + Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path newTempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
