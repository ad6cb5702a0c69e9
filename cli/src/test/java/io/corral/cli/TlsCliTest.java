package io.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.server.CorralServer;
import io.corral.server.config.ServerConfig;
import io.corral.server.tls.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code corral-cli} over TLS with zkCli's client properties ({@code zookeeper.client.secure},
 * {@code zookeeper.ssl.*}) from a {@code -client-configuration} file, against a Corral server whose only client port
 * is TLS and needs a client certificate.
 */
class TlsCliTest {
    private static final TestPki PKI = TestPki.get();

    @TempDir
    Path temp;

    private CorralServer server;
    private String connectString;

    @BeforeEach
    void start() {
        server = CorralServer.start(ServerConfig.parse(Map.of(
                "dataDir", temp.resolve("data").toString(),
                "secureClientPort", "0",
                "secureClientPortAddress", "127.0.0.1",
                "ssl.keyStore.location", PKI.serverKeyStore().toString(),
                "ssl.keyStore.password", TestPki.PASSWORD,
                "ssl.trustStore.location", PKI.trustStore().toString(),
                "ssl.trustStore.password", TestPki.PASSWORD)));
        connectString = "127.0.0.1:" + server.secureClientAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Path clientConfiguration(String... lines) throws IOException {
        return Files.write(temp.resolve("client.properties"), List.of(lines));
    }

    /** {@code timeoutMs}: the first TLS connection of a JVM may take seconds on a loaded machine. */
    private Transcript run(int timeoutMs, Path configuration, String... command) {
        List<String> args = new java.util.ArrayList<>(List.of("-timeout", Integer.toString(timeoutMs), "-server",
                connectString));
        if (configuration != null) {
            args.addAll(0, List.of("-client-configuration", configuration.toString()));
        }
        args.addAll(List.of(command));
        return CorralCliRunner.run(args, "", connectString);
    }

    @Test
    void withZkClisPropertiesTheShellWorksOverTlsAsItsCertificatesX509Identity() throws IOException {
        Path configuration = clientConfiguration(
                "zookeeper.client.secure=true",
                "zookeeper.clientCnxnSocket=org.apache.zookeeper.ClientCnxnSocketNetty",
                "zookeeper.ssl.keyStore.location=" + PKI.clientKeyStore(),
                "zookeeper.ssl.keyStore.password=" + TestPki.PASSWORD,
                "zookeeper.ssl.trustStore.location=" + PKI.trustStore(),
                "zookeeper.ssl.trustStore.password=" + TestPki.PASSWORD);

        Transcript whoami = run(30_000, configuration, "whoami");
        assertThat(whoami.exitCodes()).as(whoami.stderr()).containsExactly(0);
        assertThat(whoami.stdout()).contains("x509: " + TestPki.CLIENT_DN);

        assertThat(run(30_000, configuration, "create", "/over-tls", "yes").exitCodes()).containsExactly(0);
        assertThat(run(30_000, configuration, "get", "/over-tls").stdout()).contains("yes");
    }

    @Test
    void withoutTlsOrWithAnUnsupportedTrustSettingTheShellGetsNoSession() throws IOException {
        Transcript plain = run(3000, null, "ls", "/");
        assertThat(plain.exitCodes()).containsExactly(CliException.ERROR);
        assertThat(plain.stderr()).contains("Unable to connect to <server>");

        Transcript ocsp = run(3000, clientConfiguration("zookeeper.client.secure=true", "zookeeper.ssl.ocsp=true"),
                "ls", "/");
        assertThat(ocsp.exitCodes()).containsExactly(CliException.ERROR);
        assertThat(ocsp.stderr()).contains("zookeeper.ssl.ocsp=true is not supported");
    }
}
