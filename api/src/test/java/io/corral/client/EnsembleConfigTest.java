package io.corral.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.corral.client.ConnectString.HostPort;
import org.junit.jupiter.api.Test;

/** The client addresses {@link EnsembleConfig} finds in the data of /zookeeper/config. */
class EnsembleConfigTest {

    @Test
    void participantsAndObserversWithTheirClientAddressesInLineOrder() {
        String config = """
                server.1=127.0.0.1:2888:3888:participant;127.0.0.1:2181
                server.2=127.0.0.2:2888:3888:participant;127.0.0.2:2182
                server.3=127.0.0.3:2888:3888:observer;127.0.0.3:2183
                version=100000000""";
        assertThat(EnsembleConfig.clientAddresses(config)).containsExactly(new HostPort("127.0.0.1", 2181),
                new HostPort("127.0.0.2", 2182), new HostPort("127.0.0.3", 2183));
    }

    @Test
    void aWildcardOrMissingClientHostIsTheQuorumHost() {
        String config = """
                server.1=zk1.example:2888:3888:participant;0.0.0.0:2181
                server.2=zk2.example:2888:3888;2182
                server.3=[::1]:2888:3888:participant;[::]:2183
                server.4=10.0.0.4:2888:3888|10.0.1.4:2888:3888:participant;0:0:0:0:0:0:0:0:2184
                server.5=[fe80::5]:2888:3888:observer;[fe80::6]:2185
                """;
        assertThat(EnsembleConfig.clientAddresses(config)).containsExactly(new HostPort("zk1.example", 2181),
                new HostPort("zk2.example", 2182), new HostPort("::1", 2183), new HostPort("10.0.0.4", 2184),
                new HostPort("fe80::6", 2185));
    }

    @Test
    void linesWithoutAClientAddressOrMalformedAddNothing() {
        String config = """
                server.1=127.0.0.1:2888:3888:participant
                server.2=127.0.0.2:2888:3888:participant;127.0.0.2:notaport
                server.3=127.0.0.3:2888;127.0.0.3:2183
                server.4=127.0.0.4:2888:3888:participant;127.0.0.4:70000
                server.5=127.0.0.5:2888:3888:participant;127.0.0.5:2185
                server.6=127.0.0.5:2888:3888:participant;127.0.0.5:2185
                group.1=1:2:3
                weight.1=1
                version=2""";
        assertThat(EnsembleConfig.clientAddresses(config)).containsExactly(new HostPort("127.0.0.5", 2185));
    }

    @Test
    void aStandaloneServersEmptyConfigHasNoAddress() {
        assertThat(EnsembleConfig.clientAddresses("")).isEqualTo(List.of());
    }
}
