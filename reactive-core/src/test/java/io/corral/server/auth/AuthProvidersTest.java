package io.corral.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.protocol.Id;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AuthProvidersTest {
    private static final String ALICE = "alice:V55/p2T0OpjQ+low3NVAH4aLvm0=";

    @Test
    void digestLoginGrantsTheDigestId() {
        assertThat(AuthProviders.authenticate("digest", bytes("alice:pw"), "10.0.0.1", null))
                .containsExactly(new Id("digest", ALICE));
    }

    @Test
    void digestLoginNeverFails() {
        assertThat(AuthProviders.authenticate("digest", bytes("nocolon"), "10.0.0.1", null))
                .containsExactly(new Id("digest", "nocolon:Ra+cHr2ZoHvBjtNArFGNGlVie4g="));
        assertThat(AuthProviders.authenticate("digest", null, "10.0.0.1", null))
                .containsExactly(new Id("digest", DigestAuth.digest("")));
    }

    @Test
    void matchingSuperDigestAddsTheSuperId() {
        assertThat(AuthProviders.authenticate("digest", bytes("alice:pw"), "10.0.0.1", ALICE))
                .containsExactlyInAnyOrder(new Id("digest", ALICE), new Id("super", ""));
        assertThat(AuthProviders.authenticate("digest", bytes("alice:wrong"), "10.0.0.1", ALICE))
                .doesNotContain(AuthProviders.SUPER);
        assertThat(AuthProviders.authenticate("digest", bytes("bob:pw"), "10.0.0.1", ALICE))
                .containsExactly(new Id("digest", DigestAuth.digest("bob:pw")));
    }

    @Test
    void ipAuthReassertsTheRemoteAddressWhateverThePayload() {
        assertThat(AuthProviders.authenticate("ip", bytes("1.2.3.4"), "10.0.0.1", null))
                .containsExactly(new Id("ip", "10.0.0.1"));
        assertThat(AuthProviders.ipId("::1")).isEqualTo(new Id("ip", "::1"));
    }

    @Test
    void schemesWithoutProviderFail() {
        for (String scheme : new String[] {"super", "world", "auth", "sasl", "x509", "Digest", "DIGEST", "", null}) {
            assertThat(AuthProviders.authenticate(scheme, bytes("alice:pw"), "10.0.0.1", ALICE)).as(scheme).isNull();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
