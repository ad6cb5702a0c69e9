package io.corral.client.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ServiceInstanceTest {

    @Test
    void payloadRoundTripsAwkwardCharacters() {
        ServiceInstance in = new ServiceInstance("svc", "i-1", "::1", 443,
                Map.of("a=b", "c=d", "pct", "%3D%0A%25", "lines", "x\r\ny\n", "empty", ""));
        ServiceInstance out = ServiceInstance.decode("svc", "i-1", in.encode());
        assertThat(out).isEqualTo(in);
    }

    @Test
    void payloadIsOneKeyValueLinePerField() {
        ServiceInstance in = new ServiceInstance("svc", "i-1", "10.0.0.1", 80, Map.of("zone", "eu"));
        assertThat(new String(in.encode(), StandardCharsets.UTF_8))
                .isEqualTo("address=10.0.0.1\nport=80\nattr.zone=eu\n");
    }

    @Test
    void unknownKeysAreIgnoredAndMissingOnesRejected() {
        byte[] newer = "address=h\nport=1\nweight=3\n".getBytes(StandardCharsets.UTF_8);
        assertThat(ServiceInstance.decode("s", "i", newer)).isEqualTo(new ServiceInstance("s", "i", "h", 1));
        assertThatThrownBy(() -> ServiceInstance.decode("s", "i", "address=h\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ServiceInstance("s", "a/b", "h", 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
