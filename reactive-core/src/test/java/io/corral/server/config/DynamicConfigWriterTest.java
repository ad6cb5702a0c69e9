package io.corral.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a reconfiguration writes back, as ZooKeeper 3.9.5's QuorumPeer does (writeDynamicConfig, editStaticConfig):
 * checked on the files here; ReconfigContract checks the same on ZooKeeper's and Corral's running ensembles.
 */
class DynamicConfigWriterTest {
    @TempDir
    Path dir;

    @Test
    void theDynamicFileHoldsTheLinesSortedAsStringsAndZooCfgPointsAtIt() throws IOException {
        Path zooCfg = dir.resolve("zoo.cfg");
        Files.writeString(zooCfg, "# a comment\ntickTime=2000\nserver.1=127.0.0.1:1:2\nclientPort=2181\n"
                + "clientPortAddress=127.0.0.1\npeerType=participant\ndataDir=/d\n"
                + "dynamicConfigFile=/old/zoo.cfg.dynamic.0\n");
        ServerLines lines = ServerLines.parse("server.2=127.0.0.1:3:4;2182\nserver.10=127.0.0.1:5:6:observer\n"
                + "version=0", 0x20000000aL);
        Path dynamic = new DynamicConfigWriter(zooCfg, 2).write(lines);

        assertThat(dynamic.getFileName().toString()).isEqualTo("zoo.cfg.dynamic.20000000a");
        assertThat(Files.readString(dynamic)).isEqualTo("server.10=127.0.0.1:5:6:observer\n"
                + "server.2=127.0.0.1:3:4:participant;0.0.0.0:2182");
        // server 2's line has a client address: clientPort and clientPortAddress go, as ZooKeeper erases them
        assertThat(Files.readAllLines(zooCfg)).containsExactly("dataDir=/d", "tickTime=2000",
                "dynamicConfigFile=" + dynamic.toRealPath());
        assertThat(lines.configText()).isEqualTo("server.2=127.0.0.1:3:4:participant;0.0.0.0:2182\n"
                + "server.10=127.0.0.1:5:6:observer\nversion=20000000a");
        assertThat(lines.voters()).containsExactly(2L);
        assertThat(lines.observers()).containsExactly(10L);
    }

    @Test
    void clientKeysStayWhenThisServersLineHasNoClientAddress() throws IOException {
        Path zooCfg = dir.resolve("zoo.cfg");
        Files.writeString(zooCfg, "clientPort=2181\nserver.1=127.0.0.1:1:2\n");
        new DynamicConfigWriter(zooCfg, 1).write(ServerLines.parse("server.1=127.0.0.1:1:2\n", 7));
        assertThat(Files.readAllLines(zooCfg)).containsExactly("clientPort=2181",
                "dynamicConfigFile=" + dir.resolve("zoo.cfg.dynamic.7").toRealPath());
    }
}
