package io.corral.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.corral.server.compat.CompatHarness;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.Test;

class DigestAuthTest {

    static {
        // ZooKeeper's DigestAuthenticationProvider reads the super digest once, when the class loads: if this test
        // loaded it first, the compatibility contracts that run later in the same JVM would see no super user.
        CompatHarness.init();
    }

    @Test
    void digestsTheWireSpecExamples() {
        assertThat(DigestAuth.digest("alice:pw")).isEqualTo("alice:V55/p2T0OpjQ+low3NVAH4aLvm0=");
        assertThat(DigestAuth.digest("nocolon")).isEqualTo("nocolon:Ra+cHr2ZoHvBjtNArFGNGlVie4g=");
    }

    @Test
    void userIsTextBeforeTheFirstColonAndTheWholeStringIsHashed() {
        assertThat(DigestAuth.digest("a:b:c")).startsWith("a:").isNotEqualTo(DigestAuth.digest("a:b"));
        assertThat(DigestAuth.digest(":pw")).startsWith(":").hasSize(1 + 28);
        assertThat(DigestAuth.digest("")).isEqualTo(":2jmj7l5rSw0yVb/vlWAYkK/YBwk="); // SHA-1 of nothing
    }

    @Test
    void agreesWithZooKeeperOnAsciiLogins() throws Exception {
        Random random = new Random(11);
        for (int n = 0; n < 2_000; n++) {
            char[] chars = new char[random.nextInt(20)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = random.nextInt(4) == 0 ? ':' : (char) (0x20 + random.nextInt(0x5F));
            }
            String login = new String(chars);
            assertThat(DigestAuth.digest(login)).as(login)
                    .isEqualTo(DigestAuthenticationProvider.generateDigest(login));
        }
    }

    @Test
    void hashesNonAsciiAsUtf8LikeZooKeeperOnAUtf8Platform() throws Exception {
        // ZooKeeper hashes with the platform charset; the wire spec (and we) always use UTF-8.
        assumeThat(Charset.defaultCharset()).isEqualTo(StandardCharsets.UTF_8);
        for (String login : List.of("\u00e9:pw\u20ac", "\u7528\u6237:\u5bc6\u7801", "emoji:\uD83D\uDE00")) {
            assertThat(DigestAuth.digest(login)).isEqualTo(DigestAuthenticationProvider.generateDigest(login));
        }
    }

    @Test
    void validIdsNeedOneColonIgnoringTrailingOnes() {
        assertThat(DigestAuth.isValidId("alice:V55/p2T0OpjQ+low3NVAH4aLvm0=")).isTrue();
        assertThat(DigestAuth.isValidId(":b")).isTrue();
        assertThat(DigestAuth.isValidId("a:b:")).isTrue();
        assertThat(DigestAuth.isValidId("a:b::")).isTrue();
        assertThat(DigestAuth.isValidId("a:")).isFalse();
        assertThat(DigestAuth.isValidId(":")).isFalse();
        assertThat(DigestAuth.isValidId("ab")).isFalse();
        assertThat(DigestAuth.isValidId("a:b:c")).isFalse();
        assertThat(DigestAuth.isValidId("")).isFalse();
        assertThat(DigestAuth.isValidId(null)).isFalse();
    }

    @Test
    void idValidityAgreesWithZooKeeperOnEveryShortString() {
        DigestAuthenticationProvider zk = new DigestAuthenticationProvider();
        char[] alphabet = {'a', ':', '='};
        for (int length = 0; length <= 8; length++) {
            int combinations = (int) Math.pow(alphabet.length, length);
            for (int n = 0; n < combinations; n++) {
                char[] chars = new char[length];
                for (int i = 0, rest = n; i < length; i++, rest /= alphabet.length) {
                    chars[i] = alphabet[rest % alphabet.length];
                }
                String id = new String(chars);
                assertThat(DigestAuth.isValidId(id)).as(id).isEqualTo(zk.isValid(id));
            }
        }
    }
}
