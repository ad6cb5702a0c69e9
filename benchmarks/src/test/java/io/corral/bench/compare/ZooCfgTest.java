package io.corral.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class ZooCfgTest {
    private final Path dir = Path.of("/tmp/bench/s2");
    private final List<ZooCfg.Peer> peers = List.of(
            new ZooCfg.Peer(1, 5001, 6001, false),
            new ZooCfg.Peer(2, 5002, 6002, false),
            new ZooCfg.Peer(3, 5003, 6003, false),
            new ZooCfg.Peer(4, 5004, 6004, true));

    @Test
    void standaloneIsDurableOnLoopbackWithoutServerLines() {
        List<String> cfg = ZooCfg.standalone(dir, 2181, "a test");
        assertThat(cfg).contains("tickTime=2000", "forceSync=yes", "clientPort=2181", "clientPortAddress=127.0.0.1",
                "dataDir=/tmp/bench/s2/data", "dataLogDir=/tmp/bench/s2/log", "4lw.commands.whitelist=srvr");
        assertThat(cfg).noneMatch(l -> l.startsWith("server.") || l.startsWith("initLimit"));
    }

    @Test
    void memberListsEveryPeerWithTheIssueLimits() {
        List<String> cfg = ZooCfg.member(dir, 2182, peers, 2, "a test");
        assertThat(cfg).contains("tickTime=2000", "initLimit=10", "syncLimit=5", "forceSync=yes",
                "clientPort=2182", "server.1=127.0.0.1:5001:6001", "server.2=127.0.0.1:5002:6002",
                "server.3=127.0.0.1:5003:6003", "server.4=127.0.0.1:5004:6004:observer");
        assertThat(cfg).doesNotContain("peerType=observer");
    }

    @Test
    void anObserverSaysSoItself() {
        assertThat(ZooCfg.member(dir, 2184, peers, 4, "a test")).contains("peerType=observer");
    }

    @Test
    void aMemberMustBeAmongThePeers() {
        assertThatThrownBy(() -> ZooCfg.member(dir, 2185, peers, 5, "a test"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
