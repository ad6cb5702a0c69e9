package io.corral.server;

import io.corral.client.CorralClient;
import io.corral.net.LoopbackPorts;
import io.corral.server.config.DataDirectories;
import io.corral.server.config.ServerConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A short life of a three-member ensemble in one JVM, for {@code bin/corral-server} to run once with
 * {@code -XX:ArchiveClassesAtExit}: the JVM then writes the classes this run loaded and linked into a Class Data
 * Sharing archive, which later server JVMs map instead of loading, verifying and linking those classes again (most of
 * a member's start-up CPU time). The run goes through what a member does from start-up to following a leader again:
 * it reads its zoo.cfg, opens its log, elects, serves a few writes and reads (and snapshots: snapCount is low), answers
 * its AdminServer (member 1 only: the others' would need ports of their own), hands leadership over (as a graceful
 * stop does), and one follower is closed and started again on its data, which loads its snapshot, then catches up.
 * Everything is closed at the end and the JVM exits; status 0 only if every step worked, so a failed run's archive
 * is not used.
 *
 * <p>{@code java ... io.corral.server.TrainingRun DIR}: DIR is scratch space (a directory per member is made in it).
 */
public final class TrainingRun {
    private static final Duration STEP = Duration.ofSeconds(60);
    /** Index in {@link #ports} of member 1's AdminServer port (3 ports per member before it). */
    private static final int ADMIN_PORT = 9;

    private final Path dir;
    private final List<Integer> ports;
    private final CorralServer[] servers = new CorralServer[3];

    private TrainingRun(Path dir, List<Integer> ports) {
        this.dir = dir;
        this.ports = ports;
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: TrainingRun DIR");
            System.exit(2);
        }
        int status = 1;
        try {
            run(Path.of(args[0]));
            status = 0;
        } catch (Exception e) {
            System.err.println("training run failed: " + e);
            e.printStackTrace();
        }
        System.exit(status);
    }

    /** The whole run in {@code dir}; throws if a step did not work. Every server is closed when it returns. */
    static void run(Path dir) throws Exception {
        TrainingRun run = new TrainingRun(dir, LoopbackPorts.reserve(10));
        try {
            run.run();
        } finally {
            run.closeAll();
        }
    }

    private void run() throws Exception {
        for (int i = 0; i < 3; i++) {
            start(i);
        }
        int leader = awaitRoles(-1);
        writeAndRead(connectString(), 200);
        askAdminServer("srvr");
        askAdminServer("monitor");
        // a graceful stop of the leader begins so (bin/corral-server stop): it runs once in a member's life, so what
        // its classes cost to load and link would otherwise be paid while the ensemble's writes wait for it
        if (!servers[leader].handOverLeadership(STEP.toMillis())) {
            throw new IllegalStateException("member " + (leader + 1) + " did not hand its leadership over");
        }
        leader = awaitRoles(leader);
        writeAndRead(connectString(), 50);
        int follower = (leader + 1) % 3;
        awaitSnapshot(follower);
        servers[follower].close();
        servers[follower] = null;
        writeAndRead(clientAddress(leader), 200);
        start(follower);
        awaitRoles(follower);
        writeAndRead(clientAddress(follower), 20);
    }

    /** The member's zoo.cfg, written to its data directory and read back as Main reads one. */
    private void start(int i) throws IOException {
        Path data = dir.resolve("s" + (i + 1));
        Files.createDirectories(data);
        Files.writeString(data.resolve("myid"), (i + 1) + "\n");
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("tickTime", "200");
        cfg.put("initLimit", "10");
        cfg.put("syncLimit", "5");
        cfg.put("dataDir", data.toString());
        cfg.put("clientPort", Integer.toString(ports.get(3 * i)));
        cfg.put("clientPortAddress", "127.0.0.1");
        cfg.put("4lw.commands.whitelist", "srvr");
        cfg.put("snapCount", "50");
        cfg.put("admin.enableServer", Boolean.toString(i == 0));
        cfg.put("admin.serverAddress", "127.0.0.1");
        cfg.put("admin.serverPort", Integer.toString(ports.get(ADMIN_PORT)));
        for (int m = 0; m < 3; m++) {
            cfg.put("server." + (m + 1), "127.0.0.1:" + ports.get(3 * m + 1) + ":" + ports.get(3 * m + 2));
        }
        StringBuilder zooCfg = new StringBuilder();
        cfg.forEach((key, value) -> zooCfg.append(key).append('=').append(value).append('\n'));
        Path file = data.resolve("zoo.cfg");
        Files.writeString(file, zooCfg);
        servers[i] = CorralServer.start(ServerConfig.load(file));
    }

    /**
     * Waits until one running member leads and every other running one follows (and {@code mustFollow}, unless
     * -1, is among them); returns the leader's index.
     */
    private int awaitRoles(int mustFollow) {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() < deadline) {
            int leader = -1;
            int following = 0;
            int running = 0;
            for (int i = 0; i < 3; i++) {
                if (servers[i] == null) {
                    continue;
                }
                running++;
                String mode = mode(ports.get(3 * i));
                if ("leader".equals(mode)) {
                    leader = i;
                } else if ("follower".equals(mode)) {
                    following++;
                }
            }
            if (leader >= 0 && following == running - 1 && leader != mustFollow) {
                return leader;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        throw new IllegalStateException("the training ensemble did not settle in " + STEP);
    }

    private static void writeAndRead(String connectString, int writes) {
        CorralClient client = CorralClient.connect(connectString).block(STEP);
        if (client == null) {
            throw new IllegalStateException("no session with " + connectString);
        }
        try {
            String path = "/training-" + System.nanoTime();
            client.create(path, CorralClient.utf8("0")).block(STEP);
            for (int i = 0; i < writes; i++) {
                client.setData(path, CorralClient.utf8(Integer.toString(i))).block(STEP);
            }
            client.getData(path).block(STEP);
            client.getChildren("/").block(STEP);
            client.exists(path).block(STEP);
            client.sync(path).block(STEP);
        } finally {
            client.close().block(STEP);
        }
    }

    private String connectString() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.add(clientAddress(i));
        }
        return String.join(",", all);
    }

    private String clientAddress(int i) {
        return "127.0.0.1:" + ports.get(3 * i);
    }

    private void closeAll() {
        for (int i = 0; i < 3; i++) {
            if (servers[i] != null) {
                servers[i].close();
                servers[i] = null;
            }
        }
    }

    /** Waits until the member has written a snapshot, which its restart then loads. */
    private void awaitSnapshot(int i) throws IOException {
        Path snapshots = dir.resolve("s" + (i + 1)).resolve(DataDirectories.SNAPSHOTS);
        long deadline = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(snapshots)) {
                try (var files = Files.list(snapshots)) {
                    if (files.anyMatch(f -> f.getFileName().toString().startsWith("snapshot."))) {
                        return;
                    }
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        throw new IllegalStateException("member " + (i + 1) + " wrote no snapshot in " + STEP);
    }

    /** One command of member 1's AdminServer, over plain HTTP/1.1; throws unless it answers 200. */
    private void askAdminServer(String command) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ports.get(ADMIN_PORT)), 5000);
            s.setSoTimeout((int) STEP.toMillis());
            String request = "GET /commands/" + command + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            s.getInputStream().transferTo(answer);
            String status = answer.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse("");
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IllegalStateException("the AdminServer answered " + command + " with '" + status + "'");
            }
        }
    }

    /** The Mode line of the member's srvr answer, or null when it does not answer one. */
    private static String mode(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            s.setSoTimeout(1000);
            s.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            in.transferTo(answer);
            for (String line : answer.toString(StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith("Mode:")) {
                    return line.substring("Mode:".length()).trim();
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
