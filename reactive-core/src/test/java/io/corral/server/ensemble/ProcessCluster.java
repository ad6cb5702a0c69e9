package io.corral.server.ensemble;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import io.corral.net.LoopbackPorts;
import io.corral.server.ensemble.ServerProcess.Role;

/**
 * Corral servers as separate JVMs on loopback: a standalone server, or an ensemble of participants and observers
 * whose peer links all go through {@link LinkProxy}s so that any server can be cut off and healed.
 *
 * <p>Server {@code i} has its own directory {@code <dir>/s<i>} with {@code zoo.cfg}, {@code data/myid} and
 * {@code server.log}. In an ensemble, the config of server {@code i} lists its own quorum and election ports as they
 * are, and every other server {@code j} at the ports of the proxy dedicated to the link i→j, which forwards to j's
 * real ports. Every connection server i opens to a peer therefore crosses the proxy of that ordered pair, and
 * {@link #isolate} cuts both directions of every link of a server. (This holds as long as servers dial peers at the
 * addresses of their own config, not at addresses a peer announces.)
 *
 * <p>For dynamic reconfiguration the configs must agree on every address (a reconfig commits one text for all):
 * {@link Builder#directLinks()} lists every peer at its real ports, with its client address, and no proxy is made
 * ({@link #isolate} and {@link #link} are then refused); {@link Builder#spares} adds servers after the members whose
 * files list the members and themselves, as ZooKeeper's procedure for a server a reconfig will add.
 *
 * <p>Faults: {@link #kill9}, {@link #pause} (SIGSTOP) and {@link #resume}, {@link #restart}, {@link #restartAll},
 * {@link #isolate} and {@link #heal}. Every process started is ended at {@link #close}, by pid.
 */
public final class ProcessCluster implements AutoCloseable {

    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final boolean standalone;
    private final boolean direct;
    /** servers 1 to this are the members of the files' configuration; the rest are spares */
    private final int members;
    private final Map<Integer, ServerProcess> servers = new LinkedHashMap<>();
    private final Map<Integer, Boolean> observer = new LinkedHashMap<>();
    private final Map<Integer, int[]> peerPorts = new LinkedHashMap<>();
    /** "i>j" -> the proxy of the link i→j */
    private final Map<String, LinkProxy> links = new LinkedHashMap<>();
    private final Set<Integer> isolated = new HashSet<>();
    /** the zoo.cfg keys of the builder, to write a server's files again ({@link #reprovision}) */
    private final Map<String, String> keys;

    /** How to build a cluster. */
    public static final class Builder {
        private final Path dir;
        private int participants = 1;
        private int observers;
        private int spares;
        private boolean direct;
        private boolean standalone = true;
        private final Map<String, String> keys = new LinkedHashMap<>();

        private Builder(Path dir) {
            this.dir = dir;
            keys.put("tickTime", "200");
            keys.put("initLimit", "10");
            keys.put("syncLimit", "5");
            keys.put("4lw.commands.whitelist", "*");
        }

        /** An ensemble (server.N lines, peers through proxies) of {@code n} participants. */
        public Builder participants(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("participants " + n);
            }
            participants = n;
            standalone = false;
            return this;
        }

        public Builder observers(int n) {
            observers = n;
            standalone = false;
            return this;
        }

        /**
         * {@code n} servers after the members, not in the configuration: each one's config lists the members and
         * itself as a participant, so that it follows without a vote until a reconfig adds it. Started with the rest.
         */
        public Builder spares(int n) {
            spares = n;
            standalone = false;
            return this;
        }

        /**
         * Every config lists each peer at its real ports, with its client address ({@code ;127.0.0.1:port}): the
         * same lines on every server, as a reconfig needs. No link proxies, so no {@link #isolate}.
         */
        public Builder directLinks() {
            direct = true;
            return this;
        }

        /** One server, no server.N lines: how Corral runs today. */
        public Builder standalone() {
            participants = 1;
            observers = 0;
            standalone = true;
            return this;
        }

        /** Any other zoo.cfg key (or a new value for tickTime, initLimit, syncLimit). */
        public Builder config(String key, String value) {
            keys.put(key, value);
            return this;
        }

        /** Writes every server's files and opens the link proxies; starts nothing. */
        public ProcessCluster build() {
            return new ProcessCluster(this);
        }
    }

    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    private ProcessCluster(Builder b) {
        this.dir = b.dir;
        this.standalone = b.standalone;
        this.direct = b.direct;
        this.members = b.participants + b.observers;
        this.keys = Map.copyOf(b.keys);
        int total = members + b.spares;
        // below the kernel's ephemeral range, where the proxies' own ports (bound to port 0) never fall
        Iterator<Integer> ports = LoopbackPorts.reserve(3 * total).iterator();
        try {
            for (int id = 1; id <= total; id++) {
                Path serverDir = Files.createDirectories(dir.resolve("s" + id));
                Files.createDirectories(serverDir.resolve("data"));
                servers.put(id, new ServerProcess(id, serverDir, ports.next()));
                observer.put(id, id > b.participants && id <= members);
                peerPorts.put(id, new int[] {ports.next(), ports.next()});
            }
            if (!standalone && !direct) {
                for (int i : servers.keySet()) {
                    for (int j : servers.keySet()) {
                        if (i != j) {
                            int[] target = peerPorts.get(j);
                            links.put(i + ">" + j, new LinkProxy(i + ">" + j, target[0], target[1]));
                        }
                    }
                }
            }
            for (ServerProcess s : servers.values()) {
                writeConfig(s, b.keys);
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void writeConfig(ServerProcess s, Map<String, String> keys) throws IOException {
        int i = s.id();
        Path data = s.dir().resolve("data");
        Files.writeString(data.resolve("myid"), i + "\n", StandardCharsets.US_ASCII);
        StringBuilder cfg = new StringBuilder("# written by " + ProcessCluster.class.getSimpleName() + "\n");
        keys.forEach((k, v) -> cfg.append(k).append('=').append(v).append('\n'));
        cfg.append("dataDir=").append(data).append('\n');
        cfg.append("clientPort=").append(s.clientPort()).append('\n');
        cfg.append("clientPortAddress=127.0.0.1\n");
        if (!standalone) {
            if (observer.get(i)) {
                cfg.append("peerType=observer\n");
            }
            for (int j : servers.keySet()) {
                if (j > members && j != i) {
                    continue; // another spare
                }
                int[] ports = peerPorts.get(j);
                int quorum = ports[0];
                int election = ports[1];
                if (j != i && !direct) {
                    LinkProxy link = links.get(i + ">" + j);
                    quorum = link.listenPort(ports[0]);
                    election = link.listenPort(ports[1]);
                }
                cfg.append("server.").append(j).append("=127.0.0.1:").append(quorum).append(':').append(election)
                        .append(observer.get(j) ? ":observer" : "")
                        .append(direct ? ";127.0.0.1:" + servers.get(j).clientPort() : "").append('\n');
            }
        }
        Files.writeString(s.configFile(), cfg, StandardCharsets.UTF_8);
    }

    /** Starts every server and waits until each listens on its client port. */
    public ProcessCluster start() {
        servers.values().forEach(ServerProcess::launch);
        servers.values().forEach(s -> s.awaitListening(START_TIMEOUT));
        return this;
    }

    /** True for one server without server.N lines. */
    public boolean standalone() {
        return standalone;
    }

    public List<Integer> ids() {
        return List.copyOf(servers.keySet());
    }

    public ServerProcess server(int id) {
        ServerProcess s = servers.get(id);
        if (s == null) {
            throw new IllegalArgumentException("no server " + id + " in " + servers.keySet());
        }
        return s;
    }

    /**
     * Server {@code id}'s {@code server.N} line as ZooKeeper writes a configuration ({@link Builder#directLinks()}
     * only): {@code server.N=127.0.0.1:quorum:election:participant|observer;127.0.0.1:client}.
     */
    public String serverLine(int id) {
        server(id);
        if (!direct) {
            throw new IllegalStateException("serverLine: each server sees its peers at proxies; use directLinks()");
        }
        int[] ports = peerPorts.get(id);
        return "server." + id + "=127.0.0.1:" + ports[0] + ":" + ports[1] + (observer.get(id) ? ":observer"
                : ":participant") + ";127.0.0.1:" + clientPort(id);
    }

    public int clientPort(int id) {
        return server(id).clientPort();
    }

    /** Every server's client address, for a client that fails over among them. */
    public String connectString() {
        return servers.values().stream().map(s -> "127.0.0.1:" + s.clientPort()).collect(Collectors.joining(","));
    }

    public String connectString(int id) {
        return "127.0.0.1:" + clientPort(id);
    }

    /** kill -9 the server's pid. */
    public void kill9(int id) {
        server(id).kill9();
    }

    /** kill -TERM, a graceful stop; waits until the process is gone. */
    public void terminate(int id) {
        server(id).terminate();
    }

    /** The answer of server {@code id} to a four-letter word; null if it does not answer in time. */
    public String fourLetterWord(int id, String word) {
        return ServerProcess.fourLetterWord(clientPort(id), word);
    }

    /** kill -STOP: it freezes past any timeout until {@link #resume}. */
    public void pause(int id) {
        server(id).pause();
    }

    /** kill -CONT. */
    public void resume(int id) {
        server(id).resume();
    }

    /** kill -9 if it runs, then start it again on the same data and ports; waits until it listens. */
    public void restart(int id) {
        ServerProcess s = server(id);
        s.kill9();
        s.launch();
        s.awaitListening(START_TIMEOUT);
    }

    /**
     * kill -9 if it runs, delete its data and files (a reconfig may have rewritten them), write them as at the start
     * (a spare's list the members of the start and itself), and start it: a fresh server on the same ports, as an
     * operator brings back a server a reconfig removed. Waits until it listens.
     */
    public void reprovision(int id) {
        ServerProcess s = server(id);
        s.kill9();
        try (var files = Files.list(s.dir())) {
            for (Path f : files.toList()) {
                if (f.getFileName().toString().startsWith("zoo.cfg")) {
                    Files.delete(f);
                }
            }
            deleteTree(s.dir().resolve("data"));
            Files.createDirectories(s.dir().resolve("data"));
            writeConfig(s, keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s.note("server " + id + " reprovisioned: data deleted, files written as at the start");
        s.launch();
        s.awaitListening(START_TIMEOUT);
    }

    private static void deleteTree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** kill -9 every server at once, then start them all again together. */
    public void restartAll() {
        servers.values().forEach(ServerProcess::kill9);
        start();
    }

    /** Cuts (and refuses) every link to and from the server: it is alone, its clients still reach it. */
    public void isolate(int id) {
        server(id);
        requireEnsemble("isolate");
        for (Map.Entry<String, LinkProxy> e : links.entrySet()) {
            if (touches(e.getKey(), id)) {
                e.getValue().cut();
            }
        }
        isolated.add(id);
        servers.values().forEach(s -> s.note("server " + id + " isolated: its peer links are cut"));
    }

    /** Restores every link of the server (the links of a server still isolated stay cut). */
    public void heal(int id) {
        server(id);
        requireEnsemble("heal");
        isolated.remove(id);
        for (Map.Entry<String, LinkProxy> e : links.entrySet()) {
            String[] ends = e.getKey().split(">");
            int from = Integer.parseInt(ends[0]);
            int to = Integer.parseInt(ends[1]);
            if ((from == id || to == id) && !isolated.contains(from) && !isolated.contains(to)) {
                e.getValue().restore();
            }
        }
        servers.values().forEach(s -> s.note("server " + id + " healed: its peer links are restored"));
    }

    /** The proxy of the link from → to (for finer partitions than {@link #isolate}). */
    public LinkProxy link(int from, int to) {
        requireEnsemble("link");
        LinkProxy l = links.get(from + ">" + to);
        if (l == null) {
            throw new IllegalArgumentException("no link " + from + "→" + to);
        }
        return l;
    }

    public boolean isolated(int id) {
        return isolated.contains(id);
    }

    public Role role(int id) {
        return server(id).role();
    }

    /** The role of every server, by id. */
    public Map<Integer, Role> roles() {
        Map<Integer, Role> out = new TreeMap<>();
        servers.values().forEach(s -> out.put(s.id(), s.role()));
        return out;
    }

    /** {@link #awaitLeader(Duration)} with {@link #START_TIMEOUT}. */
    public int awaitLeader() {
        return awaitLeader(START_TIMEOUT);
    }

    /**
     * Waits until, among the servers that run, are not paused and not isolated, exactly one is the leader (the
     * standalone server, in standalone mode) and all others serve; returns the leader's id.
     */
    public int awaitLeader(Duration timeout) {
        AtomicReference<Map<Integer, Role>> last = new AtomicReference<>(Map.of());
        Role leaderRole = standalone ? Role.STANDALONE : Role.LEADER;
        try {
            return await("a leader that all reachable servers follow")
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        Map<Integer, Role> roles = new TreeMap<>();
                        for (ServerProcess s : servers.values()) {
                            if (s.running() && !s.paused() && !isolated.contains(s.id())) {
                                roles.put(s.id(), s.role());
                            }
                        }
                        last.set(roles);
                        List<Integer> leaders = roles.entrySet().stream().filter(e -> e.getValue() == leaderRole)
                                .map(Map.Entry::getKey).toList();
                        boolean allServe = roles.values().stream().allMatch(Role::serving);
                        return leaders.size() == 1 && allServe ? leaders.get(0) : null;
                    }, leader -> leader != null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no leader within " + timeout + "; last roles " + last.get() + "\n" + logs(40),
                    e);
        }
    }

    /** The zxid {@code srvr} reports (the last applied), or -1 when it does not answer. */
    public long zxid(int id) {
        String srvr = fourLetterWord(id, "srvr");
        if (srvr != null) {
            for (String line : srvr.split("\n")) {
                if (line.startsWith("Zxid:")) {
                    return Long.decode(line.substring("Zxid:".length()).trim());
                }
            }
        }
        return -1;
    }

    /** Once writes have stopped: waits until servers {@code ids} all serve with the same zxid; returns it. */
    public long awaitSameZxid(List<Integer> ids, Duration timeout) {
        AtomicReference<Map<Integer, Long>> last = new AtomicReference<>(Map.of());
        try {
            await("servers " + ids + " serve with the same zxid").atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        Map<Integer, Long> now = new TreeMap<>();
                        for (int id : ids) {
                            now.put(id, role(id).serving() ? zxid(id) : -1);
                        }
                        last.set(now);
                        return now.values().stream().distinct().count() == 1 && !now.containsValue(-1L);
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the members did not converge: roles " + roles() + ", zxids " + last.get()
                    + " (-1: not serving)", e);
        }
        return last.get().values().iterator().next();
    }

    /** The last {@code lines} lines of every server's log, for failure messages. */
    public String logs(int lines) {
        StringBuilder sb = new StringBuilder();
        for (ServerProcess s : servers.values()) {
            sb.append("----- ").append(s).append(", ").append(s.logFile()).append('\n')
                    .append(s.tail(lines)).append('\n');
        }
        return sb.toString();
    }

    public Path dir() {
        return dir;
    }

    private void requireEnsemble(String what) {
        if (standalone || direct) {
            throw new IllegalStateException(what + ": " + (standalone ? "a standalone server has" : "direct links")
                    + " no proxied peer links");
        }
    }

    private static boolean touches(String link, int id) {
        String[] ends = link.split(">");
        return Integer.parseInt(ends[0]) == id || Integer.parseInt(ends[1]) == id;
    }

    /** Ends every process started (SIGKILL by pid) and closes every proxy. */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (ServerProcess s : servers.values()) {
            try {
                s.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        links.values().forEach(LinkProxy::close);
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    @Override
    public String toString() {
        return (standalone ? "standalone " : "ensemble ") + servers.values();
    }
}
