package io.corral.server.ops;

import io.corral.server.childjvm.ChildJvm;
import io.corral.server.compat.CompatHarness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Apache ZooKeeper 3.9.5 started as operators start it ({@code ZooKeeperServerMain zoo.cfg}) in a child JVM: its
 * metrics provider and its Jetty admin server run there, away from this JVM's ZooKeeper statics. Only the process
 * started here is ever stopped.
 */
public final class ZooKeeperProcess implements AutoCloseable {
    private final Path dir;
    private final Process process;
    private final int clientPort;

    private ZooKeeperProcess(Path dir, Process process, int clientPort) {
        this.dir = dir;
        this.process = process;
        this.clientPort = clientPort;
    }

    /** Starts a standalone server on 127.0.0.1:clientPort with these zoo.cfg keys added; returns once it answers. */
    static ZooKeeperProcess start(int clientPort, Map<String, String> keys) {
        return start(clientPort, keys, List.of());
    }

    /** As {@link #start(int, Map)}, the JVM started with {@code jvmFlags} too (e.g. {@code -Dname=value}). */
    public static ZooKeeperProcess start(int clientPort, Map<String, String> keys, List<String> jvmFlags) {
        Path dir = CompatHarness.newTempDir("zk-process-");
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("tickTime", "2000");
        cfg.put("dataDir", dir.resolve("data").toString());
        cfg.put("clientPort", Integer.toString(clientPort));
        cfg.put("clientPortAddress", "127.0.0.1");
        cfg.put("4lw.commands.whitelist", "*");
        cfg.putAll(keys);
        StringBuilder text = new StringBuilder();
        cfg.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path cfgFile = dir.resolve("zoo.cfg");
        try {
            Files.writeString(cfgFile, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            CompatHarness.deleteRecursively(dir);
            throw new UncheckedIOException(e);
        }
        List<String> flags = new ArrayList<>();
        flags.add("-Dzookeeper.admin.enableServer=" + cfg.getOrDefault("admin.enableServer", "false"));
        flags.addAll(jvmFlags);
        return launch(dir, "org.apache.zookeeper.server.ZooKeeperServerMain", cfgFile, clientPort, flags);
    }

    /**
     * A member of an ensemble ({@code QuorumPeerMain zoo.cfg}, its data where the zoo.cfg says); returns once its
     * client port answers (it may still be looking for a leader). Closing deletes only the directory of its output.
     */
    public static ZooKeeperProcess startPeer(Path zooCfg, int clientPort, List<String> jvmFlags) {
        return launch(CompatHarness.newTempDir("zk-peer-"), "org.apache.zookeeper.server.quorum.QuorumPeerMain",
                zooCfg, clientPort, jvmFlags);
    }

    private static ZooKeeperProcess launch(Path dir, String mainClass, Path cfgFile, int clientPort,
                                           List<String> jvmFlags) {
        Path logFile = dir.resolve("server.log");
        try {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx256m");
            command.add("-XX:+UseSerialGC");
            command.add("-XX:TieredStopAtLevel=1");
            command.addAll(jvmFlags);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(mainClass);
            command.add(cfgFile.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            ZooKeeperProcess zk = new ZooKeeperProcess(dir, process, clientPort);
            try {
                ChildJvm.awaitAnswering(process, clientPort, Duration.ofSeconds(60), "ZooKeeper", zk::output);
            } catch (RuntimeException | Error e) { // it exited or never answered: no process or files left behind
                zk.close();
                throw e;
            }
            return zk;
        } catch (IOException e) {
            CompatHarness.deleteRecursively(dir);
            throw new UncheckedIOException(e);
        }
    }

    public String connectString() {
        return "127.0.0.1:" + clientPort;
    }

    public String output() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() {
        ChildJvm.kill(process, Duration.ofSeconds(20));
        CompatHarness.deleteRecursively(dir);
    }
}
