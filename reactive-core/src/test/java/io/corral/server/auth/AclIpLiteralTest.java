package io.corral.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.apache.zookeeper.server.auth.IPAuthenticationProvider;
import org.junit.jupiter.api.Test;

/** The {@code ip} scheme's literals and ranges, cross-checked against ZooKeeper's own provider. */
class AclIpLiteralTest {

    static {
        // ZooKeeper's auth providers read their system properties (the super digest) once, when they load: set them
        // before this test loads them, or the compatibility contracts later in the same JVM see no super user.
        io.corral.server.compat.CompatHarness.init();
    }

    private final IPAuthenticationProvider zk = new IPAuthenticationProvider();

    @Test
    void acceptsAddressesAndRanges() {
        for (String id : new String[] {"1.2.3.4", "0.0.0.0/0", "10.0.0.0/8", "1.2.3.4/32", "::1", "::", "::/0",
            "fe80::/10", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8/128", "::1:2:3:4:5:6:7", "1:2:3:4:5:6:7::", "0001::"}) {
            assertThat(IpLiteral.isValidAclId(id)).as(id).isTrue();
        }
    }

    @Test
    void rejectsNamesAndMalformedLiterals() {
        for (String id : new String[] {"", "localhost", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4.", "1.2.3.4/33",
            "1.2.3.4/-1", "1.2.3.4/", "1.2.3.4/8/9", " 1.2.3.4", "::1/129", "fe80::1%eth0", "::ffff:1.2.3.4",
            "1::2::3", ":::", "1:2:3:4:5:6:7", "1::2:3:4:5:6:7:8", "12345::", ":1::", "::1:", "/8"}) {
            assertThat(IpLiteral.isValidAclId(id)).as(id).isFalse();
        }
        assertThat(IpLiteral.isValidAclId(null)).isFalse();
    }

    @Test
    void matchesExactAddressesAndPrefixes() {
        assertThat(IpLiteral.matches("1.2.3.4", "1.2.3.4")).isTrue();
        assertThat(IpLiteral.matches("1.2.3.4", "1.2.3.5")).isFalse();
        assertThat(IpLiteral.matches("1.2.3.4", "1.2.3.0/24")).isTrue();
        assertThat(IpLiteral.matches("1.2.4.4", "1.2.3.0/24")).isFalse();
        assertThat(IpLiteral.matches("1.2.3.4", "1.2.3.7/30")).isTrue();
        assertThat(IpLiteral.matches("1.2.3.8", "1.2.3.7/30")).isFalse();
        assertThat(IpLiteral.matches("9.9.9.9", "0.0.0.0/0")).isTrue();
        assertThat(IpLiteral.matches("0:0:0:0:0:0:0:1", "::1")).isTrue();
        assertThat(IpLiteral.matches("fe80:0:0:0:0:0:0:1", "fe80::/16")).isTrue();
        assertThat(IpLiteral.matches("fe81:0:0:0:0:0:0:1", "fe80::/16")).isFalse();
    }

    @Test
    void neverMatchesAcrossFamiliesOrWithInvalidInput() {
        assertThat(IpLiteral.matches("::1", "0.0.0.0/0")).isFalse();
        assertThat(IpLiteral.matches("1.2.3.4", "::/0")).isFalse();
        assertThat(IpLiteral.matches("1.2.3.4", "1.2.3.4/33")).isFalse();
        assertThat(IpLiteral.matches("1.2.3.4/8", "1.2.3.4")).isFalse();
        assertThat(IpLiteral.matches("fe80:0:0:0:0:0:0:1%eth0", "fe80::1")).isFalse(); // scoped: as the reference
        assertThat(IpLiteral.matches("localhost", "127.0.0.1")).isFalse();
        assertThat(IpLiteral.matches(null, "127.0.0.1")).isFalse();
        assertThat(IpLiteral.matches("127.0.0.1", null)).isFalse();
    }

    @Test
    void validityAgreesWithZooKeeperOnRandomText() {
        Random random = new Random(3);
        for (int n = 0; n < 150_000; n++) {
            String id = n % 2 == 0 ? randomText(random) : randomLiteral(random, true);
            assertThat(IpLiteral.isValidAclId(id)).as(id).isEqualTo(zk.isValid(id));
        }
    }

    @Test
    void matchingAgreesWithZooKeeper() {
        Random random = new Random(5);
        int matched = 0;
        for (int n = 0; n < 150_000; n++) {
            String remote = randomLiteral(random, false);
            String acl = random.nextInt(3) == 0 ? randomLiteral(random, true) : nearby(random, remote);
            boolean expected = zk.matches(remote, acl);
            assertThat(IpLiteral.matches(remote, acl)).as("matches(%s, %s)", remote, acl).isEqualTo(expected);
            matched += expected ? 1 : 0;
        }
        assertThat(matched).as("the generator must exercise positive matches").isGreaterThan(5_000);
    }

    private static String randomText(Random random) {
        String alphabet = "0123456789abcdefABCDEFg..::/+- %\u0661\uFF11";
        char[] chars = new char[random.nextInt(22)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(chars);
    }

    /** Mostly well-formed v4/v6 literals with the odd spellings (signs, zero padding, wrong group counts). */
    private static String randomLiteral(Random random, boolean withBits) {
        StringBuilder out = new StringBuilder();
        if (random.nextBoolean()) {
            int parts = random.nextInt(8) == 0 ? 3 + random.nextInt(3) : 4;
            for (int i = 0; i < parts; i++) {
                out.append(i == 0 ? "" : ".").append(sign(random)).append(pad(random))
                        .append(random.nextInt(10) == 0 ? random.nextInt(300) : random.nextInt(4));
            }
        } else {
            int groups = random.nextInt(10);
            int gap = random.nextInt(3) == 0 ? -1 : random.nextInt(groups + 1);
            for (int i = 0; i < groups; i++) {
                out.append(i == gap ? "::" : i == 0 ? "" : ":").append(sign(random))
                        .append(Integer.toHexString(random.nextInt(4) == 0 ? random.nextInt(0x10000) : random.nextInt(3)));
            }
            if (gap == groups) {
                out.append("::");
            }
        }
        if (withBits && random.nextBoolean()) {
            out.append('/').append(random.nextInt(12) == 0 ? "+" : "").append(random.nextInt(140) - 2);
        }
        return out.toString();
    }

    /** A range around {@code remote}: same text with a prefix length, or with its last character changed. */
    private static String nearby(Random random, String remote) {
        String base = remote;
        if (!base.isEmpty() && random.nextBoolean()) {
            base = base.substring(0, base.length() - 1) + "0123456789abcdef".charAt(random.nextInt(16));
        }
        int bits = random.nextInt(8) == 0 ? random.nextInt(140) : (random.nextBoolean() ? 32 : 128) - random.nextInt(12);
        return random.nextInt(4) == 0 ? base : base + "/" + bits;
    }

    private static String sign(Random random) {
        int r = random.nextInt(40);
        return r == 0 ? "+" : r == 1 ? "-" : "";
    }

    private static String pad(Random random) {
        return random.nextInt(15) == 0 ? "0" : "";
    }
}
