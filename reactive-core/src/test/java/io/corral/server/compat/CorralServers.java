package io.corral.server.compat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.corral.server.CorralServer;
import io.corral.server.config.ServerConfig;

/**
 * Starts a Corral server in-process: {@code clientPort=0} on 127.0.0.1, temporary data directory, 4lw whitelist
 * {@code *}, extended types enabled, super digest {@link CompatHarness#SUPER_DIGEST}, plus the test's own keys (which
 * win over the defaults, except the port/address/dataDir).
 */
public final class CorralServers {

    static {
        CompatHarness.init();
    }

    private CorralServers() {
    }

    public static ServerUnderTest start(Map<String, String> config) {
        CompatHarness.init();
        Path dataDir = CompatHarness.newTempDir("corral-compat-");
        Map<String, String> map = new LinkedHashMap<>();
        map.put("4lw.commands.whitelist", "*");
        map.put("extendedTypesEnabled", "true");
        map.put("DigestAuthenticationProvider.superDigest", CompatHarness.SUPER_DIGEST);
        map.putAll(config);
        map.put("clientPort", "0");
        map.put("clientPortAddress", "127.0.0.1");
        map.put("dataDir", dataDir.toString());
        CorralServer server;
        try {
            server = CorralServer.start(ServerConfig.parse(map));
        } catch (RuntimeException | Error e) {
            CompatHarness.deleteRecursively(dataDir);
            throw e;
        }
        return new RunningCorral(server, dataDir);
    }

    private static final class RunningCorral implements ServerUnderTest {
        private final CorralServer server;
        private final Path dataDir;
        private final String connectString;

        RunningCorral(CorralServer server, Path dataDir) {
            this.server = server;
            this.dataDir = dataDir;
            this.connectString = "127.0.0.1:" + server.clientAddress().getPort();
        }

        @Override
        public String connectString() {
            return connectString;
        }

        @Override
        public String kind() {
            return "corral";
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (Exception ignored) {
                // best effort
            } finally {
                CompatHarness.deleteRecursively(dataDir);
            }
        }

        @Override
        public String toString() {
            return "Corral at " + connectString;
        }
    }
}
