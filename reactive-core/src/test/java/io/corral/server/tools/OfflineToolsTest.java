package io.corral.server.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.corral.log.SnapshotFile;
import io.corral.server.CorralServer;
import io.corral.server.compat.ZkClients;
import io.corral.server.config.DataDirectories;
import io.corral.server.config.ServerConfig;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/corral-log and bin/corral-snapshot on the data directory of a Corral server that ran and stopped: dumps,
 * verification (and what it finds in damaged files), a diff of two snapshots, and a truncation that the restarted
 * server then serves.
 */
class OfflineToolsTest {
    private static final int NODES = 40;

    @TempDir
    Path tmp;

    @Test
    void logAndSnapshotToolsOnAStoppedServer() throws Exception {
        Path data = tmp.resolve("data");
        long[] zxids = new long[NODES];
        try (CorralServer server = start(data)) {
            ZooKeeper zk = ZkClients.connect("127.0.0.1:" + server.clientAddress().getPort());
            try {
                zk.create("/tools", "t".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT);
                for (int i = 0; i < NODES; i++) {
                    zk.create("/tools/n" + i, new byte[] {(byte) i}, ZooDefs.Ids.READ_ACL_UNSAFE, CreateMode.PERSISTENT);
                    zk.setData("/tools", ("v" + i).getBytes(StandardCharsets.UTF_8), -1);
                    zxids[i] = zk.exists("/tools/n" + i, false).getCzxid();
                }
            } finally {
                ZkClients.closeQuietly(zk);
            }
            Run running = log("verify", data.toString());
            assertThat(running.status).isEqualTo(1);
            assertThat(running.err).contains("stop the server first");
        }

        Run verify = log("verify", data.toString());
        assertThat(verify.status).as(verify.err).isZero();
        assertThat(verify.out).contains("valid, ").contains(" txn(s), zxids 0x1..0x");

        Run dump = log("dump", "--from", Long.toHexString(zxids[NODES - 2] - 1), data.toString());
        assertThat(dump.status).as(dump.err).isZero();
        assertThat(dump.out).contains("zxid 0x" + Long.toHexString(zxids[NODES - 1]) + " create /tools/n" + (NODES - 1)
                + " data=1 bytes [world:anyone:1]").contains("setData /tools data=");
        assertThat(dump.out).doesNotContain("create /tools/n" + (NODES - 3) + " ");

        List<Path> snapshots = SnapshotFile.list(data.resolve(DataDirectories.SNAPSHOTS));
        assertThat(snapshots).as("the server snapshotted (snapCount=10)").hasSizeGreaterThanOrEqualTo(2);
        Path newest = snapshots.get(0);
        Path oldest = snapshots.get(snapshots.size() - 1);

        Run snapVerify = snapshot("verify", data.toString());
        assertThat(snapVerify.status).as(snapVerify.err).isZero();
        assertThat(snapVerify.out).contains(newest.toString() + ": valid");

        Run text = snapshot("dump", "-d", newest.toString());
        assertThat(text.out).startsWith("ZNode Details (count=").contains("\n/tools/n0\n  cZxid = ")
                .contains("  acl = [world:anyone:1]").contains("Session Details (sid, timeout, ephemeralCount):")
                .contains("Last zxid: 0x" + Long.toHexString(SnapshotFile.zxidOf(newest)));

        Run json = snapshot("dump", "--json", newest.toString());
        JsonNode doc = new ObjectMapper().readTree(json.out);
        assertThat(doc.get("zxid").asText()).isEqualTo("0x" + Long.toHexString(SnapshotFile.zxidOf(newest)));
        List<String> paths = new ArrayList<>();
        doc.get("nodes").forEach(n -> paths.add(n.get("path").asText()));
        assertThat(paths).contains("/", "/zookeeper", "/tools", "/tools/n0");
        JsonNode n0 = doc.get("nodes").get(paths.indexOf("/tools/n0"));
        assertThat(n0.get("data").binaryValue()).containsExactly(0);
        assertThat(n0.get("acl").get(0).get("perms").asInt()).isEqualTo(ZooDefs.Perms.READ);

        Run same = snapshot("diff", newest.toString(), newest.toString());
        assertThat(same.status).isZero();
        assertThat(same.out).contains("Same tree and sessions");
        Run diff = snapshot("diff", oldest.toString(), newest.toString());
        assertThat(diff.status).isEqualTo(1);
        // the newest snapshot holds nodes the oldest does not (which ones depends on when the server took them)
        assertThat(diff.out).contains("+ /tools").contains(" difference(s): zxid 0x"
                + Long.toHexString(SnapshotFile.zxidOf(oldest)) + " (");

        // truncate: refused while a newer snapshot holds the txns, then asked, then done
        long keep = zxids[NODES - 5];
        Run refused = log("truncate", "--zxid", Long.toHexString(keep), "--yes", data.toString());
        assertThat(refused.status).isEqualTo(1);
        assertThat(refused.err).contains("move them away first");
        Path aside = Files.createDirectories(tmp.resolve("aside"));
        for (Path p : snapshots) {
            if (SnapshotFile.zxidOf(p) > keep) {
                Files.move(p, aside.resolve(p.getFileName()));
            }
        }
        Run declined = logWithInput("no\n", "truncate", "--zxid", Long.toHexString(keep), data.toString());
        assertThat(declined.status).isEqualTo(1);
        assertThat(declined.out).contains("This drops ").contains("Not truncated.");
        Run truncated = logWithInput("yes\n", "truncate", "--zxid", Long.toHexString(keep), data.toString());
        assertThat(truncated.status).as(truncated.err).isZero();
        assertThat(truncated.out).contains("the log now ends at 0x" + Long.toHexString(keep));

        try (CorralServer server = start(data)) {
            ZooKeeper zk = ZkClients.connect("127.0.0.1:" + server.clientAddress().getPort());
            try {
                assertThat(zk.exists("/tools/n" + (NODES - 5), false)).isNotNull();
                assertThat(zk.exists("/tools/n" + (NODES - 4), false)).isNull();
                Stat stat = zk.exists("/tools", false);
                assertThat(stat.getNumChildren()).isEqualTo(NODES - 4);
            } finally {
                ZkClients.closeQuietly(zk);
            }
        }

        try (RandomAccessFile f = new RandomAccessFile(oldest.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0xFF);
        }
        Run damaged = snapshot("verify", oldest.toString());
        assertThat(damaged.status).isEqualTo(1);
        assertThat(damaged.err).contains(oldest.toString());
    }

    private static CorralServer start(Path data) {
        return CorralServer.start(ServerConfig.parse(Map.of("clientPort", "0", "clientPortAddress", "127.0.0.1",
                "dataDir", data.toString(), "snapCount", "10", "admin.enableServer", "false")));
    }

    private record Run(int status, String out, String err) {
    }

    private static Run log(String... args) {
        return logWithInput("", args);
    }

    private static Run logWithInput(String input, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
        int status = LogCommand.run(args, in, print(out), print(err));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run snapshot(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SnapshotCommand.run(args, print(out), print(err));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
