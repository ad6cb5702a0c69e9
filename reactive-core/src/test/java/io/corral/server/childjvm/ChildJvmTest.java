package io.corral.server.childjvm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChildJvmTest {

    @Test
    void childJvmsGetTheModuleAndChronicleFlagsButNotBlockHounds() {
        assertThat(ChildJvm.flags())
                .contains("-Dchronicle.analytics.disable=true", "--add-opens=java.base/java.lang=ALL-UNNAMED")
                .doesNotContain("-XX:+AllowRedefinitionToAddDeleteMethods");
    }
}
