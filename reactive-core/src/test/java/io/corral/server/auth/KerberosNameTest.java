package io.corral.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The sasl id of an authenticated name, as ZooKeeper's SaslServerCallbackHandler and KerberosName make it. */
class KerberosNameTest {
    private static final String REALM = "EXAMPLE.COM";

    @Test
    void principalsAndPlainNamesParse() {
        assertThat(KerberosName.parse("zk/host.example@EXAMPLE.COM"))
                .isEqualTo(new KerberosName("zk", "host.example", REALM));
        assertThat(KerberosName.parse("bob@EXAMPLE.COM")).isEqualTo(new KerberosName("bob", null, REALM));
        assertThat(KerberosName.parse("bob")).isEqualTo(new KerberosName("bob", null, null));
        assertThat(KerberosName.parse("a/b")).isEqualTo(new KerberosName("a/b", null, null));
        assertThatThrownBy(() -> KerberosName.parse("a@b@c")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDefaultRealmKeepsTheWholeNameUnlessRemovalIsAsked() {
        assertThat(KerberosName.authorizedId("app/h@EXAMPLE.COM", REALM, false, false)).isEqualTo("app/h@EXAMPLE.COM");
        assertThat(KerberosName.authorizedId("app/h@EXAMPLE.COM", REALM, true, false)).isEqualTo("app@EXAMPLE.COM");
        assertThat(KerberosName.authorizedId("app/h@EXAMPLE.COM", REALM, false, true)).isEqualTo("app/h");
        assertThat(KerberosName.authorizedId("app/h@EXAMPLE.COM", REALM, true, true)).isEqualTo("app");
        assertThat(KerberosName.authorizedId("bob", REALM, true, true)).isEqualTo("bob");
    }

    @Test
    void anotherRealmHasNoShortNameUnderTheDefaultRule() {
        assertThat(KerberosName.authorizedId("bob@OTHER.ORG", REALM, true, true)).isNull();
        assertThat(KerberosName.authorizedId("bob@EXAMPLE.COM", "", false, false)).isNull();
    }
}
