package io.corral.server.membership;

import io.corral.net.LoopbackPorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of an ensemble on loopback as an operator writes them, the same for ZooKeeper and Corral: per server a
 * directory {@code s<id>} with {@code zoo.cfg}, {@code data/myid} and, when asked for, the dynamic file
 * {@code zoo.cfg.dynamic.<version>} holding the {@code server.N} lines instead of zoo.cfg.
 */
public final class EnsembleFiles {

    /** One member: its ports and role. */
    public record Server(long id, int quorumPort, int electionPort, int clientPort, boolean observer) {
        /** The {@code server.N} value as written in the files. */
        String line(boolean clientInLine) {
            return "127.0.0.1:" + quorumPort + ":" + electionPort + (observer ? ":observer" : "")
                    + (clientInLine ? ";127.0.0.1:" + clientPort : "");
        }

        /** The value as ZooKeeper writes it back: the role always, the client part only if the line had one. */
        public String writtenBack(boolean clientInLine) {
            return "127.0.0.1:" + quorumPort + ":" + electionPort + (observer ? ":observer" : ":participant")
                    + (clientInLine ? ";127.0.0.1:" + clientPort : "");
        }
    }

    final Path root;
    final List<Server> servers = new ArrayList<>();
    /** servers 1 to this are the ensemble's configuration and start with it; the rest are spares */
    final int initial;
    private final boolean clientInLine;
    private final String dynamicVersion;

    /**
     * Writes the files: {@code participants} then {@code observers}; {@code clientInLine} adds each server's client
     * address to its line; {@code dynamicVersion} (hex, or null) puts the lines in a dynamic file of that version;
     * {@code extra} adds keys to every zoo.cfg.
     */
    public EnsembleFiles(Path root, int participants, int observers, boolean clientInLine, String dynamicVersion,
                  Map<String, String> extra) {
        this(root, participants, observers, 0, clientInLine, dynamicVersion, extra);
    }

    /**
     * As above, plus {@code spares} servers after them that are not in the ensemble's configuration: each one's files
     * list the members and itself as a participant (ZooKeeper's procedure for a server to be added by reconfig).
     * They are not started with the ensemble ({@link #initial}).
     */
    public EnsembleFiles(Path root, int participants, int observers, int spares, boolean clientInLine,
                         String dynamicVersion, Map<String, String> extra) {
        this.root = root;
        this.initial = participants + observers;
        this.clientInLine = clientInLine;
        this.dynamicVersion = dynamicVersion;
        int count = participants + observers + spares;
        Iterator<Integer> ports = LoopbackPorts.reserve(3 * count).iterator();
        for (long id = 1; id <= count; id++) {
            servers.add(new Server(id, ports.next(), ports.next(), ports.next(),
                    id > participants && id <= initial));
        }
        for (Server server : servers) {
            write(server, extra);
        }
    }

    private void write(Server server, Map<String, String> extra) {
        Path dir = root.resolve("s" + server.id());
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("tickTime", "200");
        cfg.put("initLimit", "20");
        cfg.put("syncLimit", "10");
        cfg.put("dataDir", dir.resolve("data").toString());
        cfg.put("clientPort", Integer.toString(server.clientPort()));
        cfg.put("clientPortAddress", "127.0.0.1");
        cfg.put("admin.enableServer", "false");
        cfg.put("4lw.commands.whitelist", "*");
        StringBuilder lines = new StringBuilder();
        for (Server s : servers) {
            if (s.id() <= initial || s.id() == server.id()) {
                lines.append("server.").append(s.id()).append('=').append(s.line(clientInLine)).append('\n');
            }
        }
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(dir.resolve("data").resolve("myid"), server.id() + "\n");
            StringBuilder text = new StringBuilder();
            if (dynamicVersion != null) {
                Path dynamic = dir.resolve("zoo.cfg.dynamic." + dynamicVersion);
                Files.writeString(dynamic, lines, StandardCharsets.UTF_8);
                cfg.put("dynamicConfigFile", dynamic.toString());
            } else {
                text.append(lines);
            }
            cfg.putAll(extra);
            cfg.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            Files.writeString(zooCfg(server.id()), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every server of the files, participants first, spares last. */
    public List<Server> servers() {
        return List.copyOf(servers);
    }

    /** The zoo.cfg of server {@code id}. */
    public Path zooCfg(long id) {
        return root.resolve("s" + id).resolve("zoo.cfg");
    }

    /** What {@code /zookeeper/config} must hold: the lines written back, then the version. */
    String expectedConfigData() {
        StringBuilder text = new StringBuilder();
        for (Server s : servers.subList(0, initial)) {
            text.append("server.").append(s.id()).append('=').append(s.writtenBack(clientInLine)).append('\n');
        }
        return text.append("version=").append(dynamicVersion == null ? "0" : dynamicVersion).toString();
    }

    long expectedVersion() {
        return dynamicVersion == null ? 0 : Long.parseLong(dynamicVersion, 16);
    }

    /** Every file under the root with its content: what a server must leave as it found it. */
    Map<Path, String> contents() {
        Map<Path, String> files = new LinkedHashMap<>();
        for (Server s : servers) {
            Path dir = root.resolve("s" + s.id());
            try (var list = Files.list(dir)) {
                for (Path file : list.filter(Files::isRegularFile).sorted().toList()) {
                    files.put(root.relativize(file), Files.readString(file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }
}
