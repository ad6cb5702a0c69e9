package io.corral.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpLiteralTest {

    @Test
    void onlyAddressLiteralsAreReadAsAddresses() {
        assertThat(IpLiteral.parse("127.0.0.1")).isNotNull();
        assertThat(IpLiteral.parse("[::1]")).isNotNull();
        assertThat(IpLiteral.parse("::1")).isNotNull();
        assertThat(IpLiteral.parse("256.0.0.1")).isNull();
        assertThat(IpLiteral.parse("1.2.3")).isNull();
        assertThat(IpLiteral.parse("localhost")).isNull();
        assertThat(IpLiteral.parse("zk1.example")).isNull();
    }

    @Test
    void anIpv4LiteralIsReadInDecimalAndAnIpv6OneInAnyOfItsForms() throws Exception {
        assertThat(IpLiteral.parse("010.0.0.1").getAddress()).containsExactly(10, 0, 0, 1); // not octal
        assertThat(IpLiteral.parse("[0:0:0:0:0:0:0:1]")).isEqualTo(java.net.InetAddress.getByName("::1"));
        assertThat(IpLiteral.looksIpv4("256.0.0.1")).isTrue();
        assertThat(IpLiteral.looksIpv6("[fe80::zz]")).isFalse();
        assertThat(IpLiteral.parse("g::1")).as("not a literal's shape: never handed to a resolver").isNull();
    }
}
