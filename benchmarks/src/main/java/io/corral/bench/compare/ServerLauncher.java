package io.corral.bench.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import io.corral.net.LoopbackPorts;

/**
 * Starts Corral and Apache ZooKeeper 3.9.5 server JVMs for the comparisons, standalone or as an ensemble on
 * loopback, from the same generated zoo.cfg ({@link ZooCfg}), and waits until they serve. Corral runs
 * {@code io.corral.server.Main} from reactive-core/target with the JVM flags of {@code bin/corral-server} (its
 * class data sharing archive included); ZooKeeper runs {@code ZooKeeperServerMain} (standalone) or
 * {@code QuorumPeerMain} (ensemble) from benchmarks.jar, with its own NIO classes. Each server has its own directory
 * (zoo.cfg, data/, log/, server.log). Every process is registered with {@link ChildProcesses}, so it is ended by its pid.
 */
final class ServerLauncher {
    private static final String ZK_STANDALONE = "org.apache.zookeeper.server.ZooKeeperServerMain";
    private static final String ZK_QUORUM = "org.apache.zookeeper.server.quorum.QuorumPeerMain";

    private final Path root;
    private final ChildProcesses children;
    private final String xmx;
    private final List<String> corralExtraJvm;
    private final String generatedBy;
    private final Consumer<String> log;
    private List<String> corralFlags;

    /** {@code generatedBy} names the driver in each zoo.cfg; {@code log} takes its progress lines. */
    ServerLauncher(Path root, ChildProcesses children, String xmx, List<String> corralExtraJvm, String generatedBy,
                   Consumer<String> log) {
        this.root = root;
        this.children = children;
        this.xmx = xmx;
        this.corralExtraJvm = List.copyOf(corralExtraJvm);
        this.generatedBy = generatedBy;
        this.log = log;
    }

    /** Fails unless the jars the servers and the load tool run from are built ({@code script} builds them). */
    void requireJars(String script) {
        for (Path p : List.of(root.resolve("reactive-core/target/corral-server.jar"),
                root.resolve("benchmarks/target/benchmarks.jar"))) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException(p + " is missing: build first (" + script + " does)");
            }
        }
    }

    /** One server on {@code clientPort} with its files in {@code dir} (kept, so a restart finds its data). */
    LaunchedServer standalone(ServerKind kind, Path dir, int clientPort, Duration timeout) throws Exception {
        return standalone(kind, dir, clientPort, timeout, List.of(), null);
    }

    /**
     * The same with {@code extraConfig} lines appended to its zoo.cfg (TLS keys, say) and, for ZooKeeper,
     * {@code zkClasspath} in place of the benchmarks jar (null: that jar).
     */
    LaunchedServer standalone(ServerKind kind, Path dir, int clientPort, Duration timeout, List<String> extraConfig,
                              String zkClasspath) throws Exception {
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>(ZooCfg.standalone(dir, clientPort, generatedBy));
        lines.addAll(extraConfig);
        writeConfig(dir, lines);
        LaunchedServer s = launch(kind, 0, false, dir, clientPort, kind == ServerKind.ZOOKEEPER ? ZK_STANDALONE : null,
                zkClasspath);
        try {
            awaitServing(s, s.launchedAt + timeout.toNanos());
        } catch (Exception e) {
            children.stop(s.process);
            throw e;
        }
        return s;
    }

    /** Stops a server this launcher started, by its pid. */
    void stopServer(LaunchedServer s) {
        children.stop(s.process);
    }

    /**
     * {@code participants} + {@code observers} servers (ids 1..n, observers last) under {@code dir}/s{id}, all
     * started at once; returns when every member serves and one of them leads.
     */
    Ensemble ensemble(ServerKind kind, Path dir, int participants, int observers, Duration timeout)
            throws Exception {
        int n = participants + observers;
        List<Integer> ports = freePorts(3 * n);
        List<ZooCfg.Peer> peers = new ArrayList<>();
        for (int id = 1; id <= n; id++) {
            peers.add(new ZooCfg.Peer(id, ports.get(3 * (id - 1) + 1), ports.get(3 * (id - 1) + 2), id > participants));
        }
        List<LaunchedServer> members = new ArrayList<>();
        if (kind == ServerKind.CORRAL) {
            corralJvmFlags(); // before the clock starts: the first call may write the class data sharing archive
        }
        try {
            long start = System.nanoTime();
            for (ZooCfg.Peer peer : peers) {
                Path memberDir = dir.resolve("s" + peer.id());
                int clientPort = ports.get(3 * (peer.id() - 1));
                Files.createDirectories(ZooCfg.dataDir(memberDir));
                Files.writeString(ZooCfg.dataDir(memberDir).resolve("myid"), peer.id() + "\n");
                writeConfig(memberDir, ZooCfg.member(memberDir, clientPort, peers, peer.id(), generatedBy));
                members.add(launch(kind, peer.id(), peer.observer(), memberDir, clientPort,
                        kind == ServerKind.ZOOKEEPER ? ZK_QUORUM : null, null));
            }
            Ensemble ensemble = new Ensemble(kind, members, children);
            long deadline = start + timeout.toNanos();
            for (LaunchedServer m : members) {
                awaitServing(m, deadline);
            }
            while (ensemble.leader() == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(ensemble + ": every member serves but none answers as leader");
                }
                Thread.sleep(20); // the driver's own thread polls a child process's port
            }
            log.accept(String.format(Locale.ROOT, "  %s serving after %.2f s: %s", ensemble,
                    (System.nanoTime() - start) / 1e9, ensemble.connectString()));
            return ensemble;
        } catch (Exception e) {
            members.forEach(m -> children.stop(m.process));
            throw e;
        }
    }

    /** Starts a member that was stopped again, on its own directory, config and ports; returns at once. */
    LaunchedServer relaunch(LaunchedServer member) throws IOException {
        return launch(member.kind, member.id, member.observer, member.logFile.getParent(), member.clientPort,
                member.kind == ServerKind.ZOOKEEPER ? ZK_QUORUM : null, null);
    }

    private void writeConfig(Path dir, List<String> lines) throws IOException {
        Files.writeString(dir.resolve("zoo.cfg"), String.join("\n", lines));
    }

    /** {@code zkMain} is ZooKeeper's main class, null for Corral; {@code zkClasspath} null: the benchmarks jar. */
    private LaunchedServer launch(ServerKind kind, int id, boolean observer, Path dir, int clientPort,
                                  String zkMain, String zkClasspath) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaTool("java"));
        cmd.add("-Xmx" + xmx);
        if (kind == ServerKind.ZOOKEEPER) {
            cmd.add("-Dzookeeper.admin.enableServer=false");
            cmd.add("-Dzookeeper.4lw.commands.whitelist=srvr");
            cmd.add("-cp");
            cmd.add(zkClasspath != null ? zkClasspath : root.resolve("benchmarks/target/benchmarks.jar").toString());
            cmd.add(zkMain);
        } else {
            cmd.addAll(corralJvmFlags());
            cmd.addAll(corralExtraJvm);
            cmd.add("-cp");
            cmd.add(root.resolve("reactive-core/target/corral-server.jar") + ":"
                    + root.resolve("reactive-core/target/lib") + "/*");
            cmd.add("io.corral.server.Main");
        }
        cmd.add(dir.resolve("zoo.cfg").toString());
        Path logFile = dir.resolve("server.log");
        Files.writeString(logFile, "$ " + String.join(" ", cmd) + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        long launched = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        children.track(p);
        return new LaunchedServer(kind, id, observer, p, clientPort, logFile, launched);
    }

    /** Polls srvr until the server says it serves; it fails early when the process exits. */
    private void awaitServing(LaunchedServer s, long deadline) throws InterruptedException {
        while (true) {
            if (!s.process.isAlive()) {
                throw new IllegalStateException(s + " exited with " + s.process.exitValue() + "; see " + s.logFile);
            }
            if (FourLetterWords.serving(FourLetterWords.srvr(s.clientPort))) {
                s.servingAt = System.nanoTime();
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(s + " not serving in time; see " + s.logFile);
            }
            Thread.sleep(20); // the driver's own thread polls a child process's port
        }
        if (s.id == 0) {
            log.accept(String.format(Locale.ROOT, "  %s pid %d serving on port %d after %.2f s", s.kind.title, s.pid(),
                    s.clientPort, (s.servingAt - s.launchedAt) / 1e9));
        }
    }

    /**
     * The flags bin/corral-server starts the server with, as its {@code --jvm-flags} prints them (Chronicle's
     * opens/exports, analytics off, the class data sharing archive, which that call first writes when it is missing
     * or older than the jars: a training run of some seconds, once per build).
     */
    synchronized List<String> corralJvmFlags() throws IOException {
        if (corralFlags == null) {
            ProcessBuilder asked = new ProcessBuilder("bash", root.resolve("bin/corral-server").toString(),
                    "--jvm-flags").directory(root.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
            asked.environment().put("CORRAL_JVM_OPTS", "-Xmx" + xmx); // some flags follow the heap's size
            Process p = asked.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new IllegalStateException("bin/corral-server --jvm-flags failed");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while asking bin/corral-server for its JVM flags", e);
            }
            List<String> flags = out.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
            if (flags.isEmpty()) {
                throw new IllegalStateException("bin/corral-server --jvm-flags printed no flags");
            }
            corralFlags = flags;
        }
        return corralFlags;
    }

    static String javaTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    static int freePort() {
        return freePorts(1).get(0);
    }

    /** {@code n} distinct loopback ports, free a moment ago and below the kernel's ephemeral range. */
    static List<Integer> freePorts(int n) {
        return LoopbackPorts.reserve(n);
    }
}
