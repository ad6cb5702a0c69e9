package io.corral.server.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Writes an activated configuration back as ZooKeeper 3.9 does on each reconfiguration, so that a restart begins
 * from it: the dynamic file {@code <zoo.cfg>.dynamic.<hex version>} (see {@link ServerLines#dynamicFileText()}), then
 * zoo.cfg rewritten without its server lines, {@code group}/{@code weight}/{@code peerType} keys and old
 * {@code dynamicConfigFile} (and without {@code clientPort}/{@code clientPortAddress} when this server's line has a
 * client address), ending with {@code dynamicConfigFile=} the new file. Each file is replaced atomically.
 */
public final class DynamicConfigWriter {
    private final Path zooCfg;
    private final long myId;

    public DynamicConfigWriter(Path zooCfg, long myId) {
        this.zooCfg = zooCfg;
        this.myId = myId;
    }

    /** The dynamic file written for {@code lines}. */
    public Path write(ServerLines lines) {
        Path dynamic = zooCfg.resolveSibling(zooCfg.getFileName() + ".dynamic." + Long.toHexString(lines.version()));
        try {
            replace(dynamic, lines.dynamicFileText());
            Properties cfg = new Properties();
            try (Reader in = Files.newBufferedReader(zooCfg, StandardCharsets.UTF_8)) {
                cfg.load(in);
            }
            EnsembleConfig.Member me = lines.members().get(myId);
            boolean eraseClient = me != null && me.clientAddress() != null;
            StringBuilder text = new StringBuilder();
            for (String key : new TreeSet<>(cfg.stringPropertyNames())) {
                String k = key.trim();
                if (k.startsWith("server.") || k.startsWith("group") || k.startsWith("weight")
                        || k.startsWith("dynamicConfigFile") || k.startsWith("peerType")
                        || (eraseClient && k.startsWith("clientPort"))) {
                    continue;
                }
                text.append(k).append('=').append(cfg.getProperty(key).trim()).append('\n');
            }
            text.append(DynamicConfigFile.KEY).append('=').append(dynamic.toRealPath()).append('\n');
            replace(zooCfg, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write configuration " + Long.toHexString(lines.version())
                    + " back to " + zooCfg, e);
        }
        return dynamic;
    }

    private static void replace(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
