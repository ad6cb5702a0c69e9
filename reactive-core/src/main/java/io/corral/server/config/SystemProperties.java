package io.corral.server.config;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;

/**
 * ZooKeeper's {@code -D} system properties (JVMFLAGS / SERVER_JVMFLAGS of packaged images) for the settings Corral
 * has. As in ZooKeeper, where a zoo.cfg key is set as the property {@code zookeeper.<key>}, the file wins: a property
 * only fills a key the file does not set. Properties of ZooKeeper's server that Corral does not implement are
 * reported as unknown keys are.
 */
final class SystemProperties {
    /** zoo.cfg key to the system property ZooKeeper reads for it. */
    private static final Map<String, String> SUPPORTED = Map.ofEntries(
            Map.entry("4lw.commands.whitelist", "zookeeper.4lw.commands.whitelist"),
            Map.entry("DigestAuthenticationProvider.superDigest", "zookeeper.DigestAuthenticationProvider.superDigest"),
            Map.entry("extendedTypesEnabled", "zookeeper.extendedTypesEnabled"),
            Map.entry("jute.maxbuffer", "jute.maxbuffer"),
            Map.entry("snapCount", "zookeeper.snapCount"),
            Map.entry("forceSync", "zookeeper.forceSync"),
            Map.entry("digest.enabled", "zookeeper.digest.enabled"),
            Map.entry("skipACL", "zookeeper.skipACL"),
            Map.entry("enforceQuota", "zookeeper.enforceQuota"),
            Map.entry("globalOutstandingLimit", "zookeeper.globalOutstandingLimit"),
            Map.entry("sessionRequireClientSASLAuth", "zookeeper.sessionRequireClientSASLAuth"),
            Map.entry("enforce.auth.enabled", "zookeeper.enforce.auth.enabled"),
            Map.entry("enforce.auth.schemes", "zookeeper.enforce.auth.schemes"),
            Map.entry("kerberos.removeHostFromPrincipal", "zookeeper.kerberos.removeHostFromPrincipal"),
            Map.entry("kerberos.removeRealmFromPrincipal", "zookeeper.kerberos.removeRealmFromPrincipal"),
            Map.entry("security.auth_to_local", "zookeeper.security.auth_to_local"),
            Map.entry("allowSaslFailedClients", "zookeeper.allowSaslFailedClients"),
            Map.entry("letAnySaslUserDoX", "zookeeper.letAnySaslUserDoX"));

    /** Server properties of ZooKeeper 3.9 that Corral has no counterpart for. */
    private static final Set<String> UNSUPPORTED = Set.of("readonlymode.enabled", "zookeeper.serverCnxnFactory",
            "zookeeper.preAllocSize", "zookeeper.maxCnxns", "zookeeper.snapSizeLimitInKb",
            "zookeeper.commitProcessor.numWorkerThreads", "zookeeper.request.timeout", "zookeeper.flushDelay",
            "zookeeper.maxBatchSize", "zookeeper.fsync.warningthresholdms", "zookeeper.snapshot.compression.method",
            "zookeeper.watchManagerName", "zookeeper.leaderServes",
            "zookeeper.electionPortBindRetry");

    private SystemProperties() {
    }

    /** The file's keys plus what the properties set for keys the file leaves out; logs the unsupported ones. */
    static Map<String, String> fill(Map<String, String> fileKeys, Properties properties, Logger log) {
        SUPPORTED.forEach((key, property) -> {
            String value = properties.getProperty(property);
            if (value != null && !fileKeys.containsKey(key) && !fileKeys.containsKey(property)) {
                fileKeys.put(key, value);
                log.info("Config key '{}' from the system property {}", key, property);
            }
        });
        // authProvider.N as ZooKeeper sets it from zoo.cfg: zookeeper.authProvider.N
        properties.stringPropertyNames().forEach(property -> {
            if (property.startsWith("zookeeper.authProvider.") && !fileKeys.containsKey(property)
                    && !fileKeys.containsKey(property.substring("zookeeper.".length()))) {
                fileKeys.put(property, properties.getProperty(property));
                log.info("Config key '{}' from the system property", property);
            }
        });
        for (String property : UNSUPPORTED) {
            if (properties.getProperty(property) != null) {
                log.warn("Unknown system property '{}' ignored (a ZooKeeper setting Corral does not have)", property);
            }
        }
        return fileKeys;
    }
}
