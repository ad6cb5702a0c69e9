package io.corral.client;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import io.corral.net.LoopbackPorts;
import javax.security.sasl.SaslException;

import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.quorum.QuorumPeer;
import org.apache.zookeeper.server.quorum.QuorumPeerConfig;
import org.apache.zookeeper.server.quorum.QuorumPeerMain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache ZooKeeper 3.9 as an in-process ensemble: one {@link QuorumPeerMain} per member, each on its own thread,
 * with ZooKeeper's NIO connection factory, loopback ports and a temporary data directory. A short tick (default
 * 200 ms) keeps elections and syncs fast. Read-only mode follows the system property readonlymode.enabled.
 */
public final class ZooKeeperTestEnsemble implements TestEnsemble {
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperTestEnsemble.class);
    private static final Duration START_LIMIT = Duration.ofSeconds(30);

    private final Path baseDir;
    private final int tickTime;
    private final int[] clientPorts;
    private final int[] quorumPorts;
    private final int[] electionPorts;
    private final Member[] members;
    private final Map<String, String> extraConfig;

    /** One QuorumPeerMain; remembers its QuorumPeer as soon as runFromConfig makes it. */
    private static final class Member extends QuorumPeerMain {
        private volatile QuorumPeer peer;
        private Thread thread;

        @Override
        protected QuorumPeer getQuorumPeer() throws SaslException {
            QuorumPeer p = super.getQuorumPeer();
            peer = p;
            return p;
        }

        QuorumPeer peer() {
            return peer;
        }
    }

    private ZooKeeperTestEnsemble(Path baseDir, int size, int tickTime, Map<String, String> extraConfig) {
        this.baseDir = baseDir;
        this.extraConfig = Map.copyOf(extraConfig);
        this.tickTime = tickTime;
        this.clientPorts = new int[size];
        this.quorumPorts = new int[size];
        this.electionPorts = new int[size];
        this.members = new Member[size];
    }

    /** Starts {@code size} members; {@code extraConfig} adds or overrides zoo.cfg keys (e.g. localSessionsEnabled). */
    public static ZooKeeperTestEnsemble start(int size, int tickTime, Map<String, String> extraConfig) {
        System.setProperty("zookeeper.admin.enableServer", "false");
        try {
            ZooKeeperTestEnsemble e = new ZooKeeperTestEnsemble(Files.createTempDirectory("zk-ensemble-"), size,
                    tickTime, extraConfig);
            for (int i = 0; i < size; i++) {
                e.clientPorts[i] = freePort();
                e.quorumPorts[i] = freePort();
                e.electionPorts[i] = freePort();
            }
            for (int i = 0; i < size; i++) {
                e.launch(i);
            }
            e.awaitServing();
            return e;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public static ZooKeeperTestEnsemble start(int size) {
        return start(size, 200, Map.of());
    }

    private void launch(int i) {
        try {
            Path dir = baseDir.resolve("member-" + i);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("myid"), Integer.toString(i + 1));
            Properties p = new Properties();
            p.setProperty("tickTime", Integer.toString(tickTime));
            p.setProperty("initLimit", "20");
            p.setProperty("syncLimit", "10");
            p.setProperty("dataDir", dir.toString());
            p.setProperty("clientPort", Integer.toString(clientPorts[i]));
            p.setProperty("clientPortAddress", "127.0.0.1");
            p.setProperty("maxSessionTimeout", "60000");
            p.setProperty("admin.enableServer", "false");
            for (int m = 0; m < members.length; m++) {
                p.setProperty("server." + (m + 1), "127.0.0.1:" + quorumPorts[m] + ":" + electionPorts[m]);
            }
            extraConfig.forEach(p::setProperty);
            QuorumPeerConfig config = new QuorumPeerConfig();
            config.parseProperties(p);
            Member member = new Member();
            member.thread = new Thread(() -> {
                try {
                    member.runFromConfig(config);
                } catch (Exception ex) {
                    log.warn("ensemble member {} ended: {}", i, ex.toString());
                }
            }, "zk-ensemble-member-" + i);
            member.thread.setDaemon(true);
            members[i] = member;
            member.thread.start();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (QuorumPeerConfig.ConfigException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public int size() {
        return members.length;
    }

    @Override
    public String connectString(int... which) {
        StringBuilder sb = new StringBuilder();
        for (int m : which) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append("127.0.0.1:").append(clientPorts[m]);
        }
        return sb.toString();
    }

    private boolean running(int i) {
        return members[i] != null;
    }

    private static boolean serving(QuorumPeer peer) {
        if (peer == null) {
            return false;
        }
        ZooKeeperServer zk = peer.getActiveServer();
        QuorumPeer.ServerState state = peer.getPeerState();
        return zk != null && zk.isRunning()
                && (state == QuorumPeer.ServerState.LEADING || state == QuorumPeer.ServerState.FOLLOWING);
    }

    @Override
    public void awaitServing() {
        await().atMost(START_LIMIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            for (int i = 0; i < members.length; i++) {
                if (running(i) && !serving(members[i].peer())) {
                    return false;
                }
            }
            return true;
        });
    }

    @Override
    public int leader() {
        for (int i = 0; i < members.length; i++) {
            if (running(i) && serving(members[i].peer())
                    && members[i].peer().getPeerState() == QuorumPeer.ServerState.LEADING) {
                return i;
            }
        }
        throw new IllegalStateException("no leader");
    }

    @Override
    public List<Integer> followers() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < members.length; i++) {
            if (running(i) && serving(members[i].peer())
                    && members[i].peer().getPeerState() == QuorumPeer.ServerState.FOLLOWING) {
                out.add(i);
            }
        }
        return out;
    }

    /** The member's QuorumPeer state name (LOOKING, FOLLOWING, LEADING, OBSERVING), or "stopped". */
    public String state(int member) {
        return running(member) && members[member].peer() != null
                ? members[member].peer().getPeerState().name() : "stopped";
    }

    @Override
    public void stop(int member) {
        Member m = members[member];
        if (m == null) {
            return;
        }
        members[member] = null;
        m.close(); // QuorumPeer.shutdown: closes client connections, quorum sockets, the database
        try {
            m.thread.join(START_LIMIT.toMillis());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        log.info("ensemble member {} stopped", member);
    }

    @Override
    public void restart(int member) {
        if (members[member] != null) {
            throw new IllegalStateException("member " + member + " is running");
        }
        launch(member);
    }

    @Override
    public String kind() {
        return "zookeeper";
    }

    @Override
    public void close() {
        for (int i = 0; i < members.length; i++) {
            stop(i);
        }
        try (Stream<Path> files = Files.walk(baseDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static int freePort() {
        return LoopbackPorts.reserve(1).get(0);
    }
}
