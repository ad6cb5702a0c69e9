package io.corral.server.ensemble;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.corral.client.TestEnsemble;

/**
 * Corral's {@link InProcessEnsemble} seen through the client contracts' {@link TestEnsemble}: member {@code i} is
 * server id {@code i + 1}; all participants, tick 200 ms, session timeouts up to 60 s (as ZooKeeperTestEnsemble),
 * data in a temporary directory removed on close.
 */
public final class CorralTestEnsemble implements TestEnsemble {
    private static final Duration START_LIMIT = Duration.ofSeconds(30);

    private final Path root;
    private final int size;
    private final InProcessEnsemble servers;

    private CorralTestEnsemble(Path root, int size) {
        this.root = root;
        this.size = size;
        // the failover contracts it serves check ZooKeeper's behaviour, every client dropped on a leader change: the
        // hold (clientHoldDuringElectionMs) is off here and checked on real processes by LeaderChangeHoldTest
        this.servers = new InProcessEnsemble(root, size, 0, Map.of("maxSessionTimeout", "60000",
                "clientHoldDuringElectionMs", "0"));
    }

    /** Starts {@code size} servers and returns once a leader serves with every other server following it. */
    public static CorralTestEnsemble start(int size) {
        CorralTestEnsemble e;
        try {
            e = new CorralTestEnsemble(Files.createTempDirectory("corral-ensemble-"), size);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        try {
            e.servers.startAll();
            e.awaitServing();
            return e;
        } catch (RuntimeException | Error ex) {
            e.close();
            throw ex;
        }
    }

    private static long id(int member) {
        return member + 1L;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String connectString(int... members) {
        List<String> hosts = new ArrayList<>();
        for (int m : members) {
            hosts.add(servers.connectString(id(m)));
        }
        return String.join(",", hosts);
    }

    @Override
    public void awaitServing() {
        servers.awaitServing(START_LIMIT);
    }

    @Override
    public int leader() {
        return servers.leader().map(id -> (int) (id - 1)).orElseThrow(() -> new IllegalStateException("no leader"));
    }

    @Override
    public List<Integer> followers() {
        List<Integer> out = new ArrayList<>();
        for (int m = 0; m < size; m++) {
            if (servers.isRunning(id(m)) && servers.mode(id(m)).equals("follower")) {
                out.add(m);
            }
        }
        return out;
    }

    @Override
    public void stop(int member) {
        servers.stop(id(member));
    }

    @Override
    public void restart(int member) {
        if (servers.isRunning(id(member))) {
            throw new IllegalStateException("member " + member + " is running");
        }
        servers.start(id(member));
    }

    @Override
    public String kind() {
        return "corral";
    }

    @Override
    public void close() {
        servers.close();
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temporary directory
        }
    }
}
