package io.corral.server.ensemble;

import static org.awaitility.Awaitility.await;

import io.corral.server.CorralServer;
import io.corral.net.LoopbackPorts;
import io.corral.server.childjvm.FourLetterWordClient;
import io.corral.server.config.ServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An ensemble of Corral servers in this JVM, each with its own data directory, client port and peer port on
 * 127.0.0.1: quick to start, and each server can be stopped and restarted on its data. Crash-like faults (kill -9,
 * SIGSTOP, cut links) need separate processes; these tests cover the protocol's normal paths and clean stops.
 */
public final class InProcessEnsemble implements AutoCloseable {
    private final Path root;
    private final Map<Long, Integer> clientPorts = new LinkedHashMap<>();
    private final Map<Long, String> serverLines = new LinkedHashMap<>();
    private final Map<Long, CorralServer> running = new LinkedHashMap<>();
    private final Map<String, String> extra;
    private final Map<Long, Map<String, String>> perServer = new LinkedHashMap<>();

    public InProcessEnsemble(Path root, int participants, int observers, Map<String, String> extra) {
        this.root = root;
        this.extra = extra;
        Iterator<Integer> ports = LoopbackPorts.reserve(3 * (participants + observers)).iterator();
        for (long id = 1; id <= participants + observers; id++) {
            clientPorts.put(id, ports.next());
            serverLines.put(id, "127.0.0.1:" + ports.next() + ":" + ports.next()
                    + (id > participants ? ":observer" : ""));
        }
    }

    public void startAll() {
        clientPorts.keySet().forEach(this::start);
    }

    /** Starts one server on its data directory ({@link #dataDir}), writing its myid there. */
    public void start(long id) {
        Path dataDir = dataDir(id);
        try {
            Files.createDirectories(dataDir);
            Files.writeString(dataDir.resolve("myid"), id + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("tickTime", "200");
        cfg.put("initLimit", "10");
        cfg.put("syncLimit", "5");
        cfg.put("dataDir", dataDir.toString());
        cfg.put("clientPort", Integer.toString(clientPorts.get(id)));
        cfg.put("clientPortAddress", "127.0.0.1");
        cfg.put("4lw.commands.whitelist", "*");
        serverLines.forEach((n, line) -> cfg.put("server." + n, line));
        cfg.putAll(extra);
        cfg.putAll(perServer.getOrDefault(id, Map.of()));
        running.put(id, CorralServer.start(ServerConfig.parse(cfg)));
    }

    /** The server's data directory: a test may put data there before the server's first start. */
    public Path dataDir(long id) {
        return root.resolve("server" + id);
    }

    /** Keys for one server only, over the shared ones, from its next start. */
    void configure(long id, Map<String, String> keys) {
        perServer.put(id, keys);
    }

    /** The server's quorum (peer) port. */
    int peerPort(long id) {
        return Integer.parseInt(serverLines.get(id).split(":")[1]);
    }

    public void stop(long id) {
        CorralServer server = running.remove(id);
        if (server != null) {
            server.close();
        }
    }

    boolean isRunning(long id) {
        return running.containsKey(id);
    }

    /** The running server with this id. */
    public CorralServer server(long id) {
        return running.get(id);
    }

    public String connectString() {
        return clientPorts.values().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    public String connectString(long id) {
        return "127.0.0.1:" + clientPorts.get(id);
    }

    public List<Long> ids() {
        return new ArrayList<>(clientPorts.keySet());
    }

    /** The Mode line of srvr, or "not serving" / "down". */
    String mode(long id) {
        if (!running.containsKey(id)) {
            return "down";
        }
        String srvr = fourLetterWord(id, "srvr");
        for (String line : srvr.split("\n")) {
            if (line.startsWith("Mode: ")) {
                return line.substring(6);
            }
        }
        return "not serving";
    }

    /** The server's answer to a four-letter word, or "" when it does not answer. */
    String fourLetterWord(long id, String word) {
        String answer = FourLetterWordClient.ask(clientPorts.get(id), word, Duration.ofSeconds(5));
        return answer == null ? "" : answer;
    }

    public Optional<Long> leader() {
        return running.keySet().stream().filter(id -> mode(id).equals("leader")).findFirst();
    }

    /** Waits until one running server leads and every other running one follows or observes it. */
    public long awaitServing(Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> running.keySet().stream()
                .allMatch(id -> List.of("leader", "follower", "observer").contains(mode(id)))
                && leader().isPresent());
        return leader().orElseThrow();
    }

    @Override
    public void close() {
        new ArrayList<>(running.keySet()).forEach(this::stop);
    }
}
