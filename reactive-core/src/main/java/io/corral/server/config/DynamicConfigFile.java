package io.corral.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where the {@code server.N} lines and the configuration's version come from, as ZooKeeper 3.5+ reads them: from the
 * file {@code dynamicConfigFile} names when there is one (its version is the hexadecimal suffix of the file's name,
 * {@code zoo.cfg.dynamic.100000000}, else 0), otherwise from zoo.cfg itself (with an optional hexadecimal
 * {@code version} key, which ZooKeeper reads there too).
 */
final class DynamicConfigFile {
    static final String KEY = "dynamicConfigFile";

    /** The server lines ({@code server.N} key to value) and the version of the configuration they make. */
    record Membership(Map<String, String> servers, long version, Path file) {
    }

    private DynamicConfigFile() {
    }

    static Membership read(RawConfig raw) {
        String fileName = raw.string(KEY);
        Map<String, String> staticLines = raw.matching(EnsembleConfig.SERVER_KEY);
        String staticVersion = raw.string("version");
        if (fileName == null) {
            return new Membership(staticLines, staticVersion == null ? 0 : hex("version", staticVersion), null);
        }
        if (!staticLines.isEmpty()) {
            String key = staticLines.keySet().iterator().next();
            throw new ConfigException(key, "parameter: " + key + " must be in a separate dynamic config file ("
                    + KEY + " is set)");
        }
        if (staticVersion != null) {
            throw new ConfigException("version", "version must not be set when " + KEY
                    + " is: the version is the suffix of the dynamic file's name");
        }
        Path file;
        try {
            file = Path.of(fileName).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw ConfigException.invalid(KEY, fileName, "not a valid path (" + e.getReason() + ")");
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(KEY, "Error processing " + file + ": " + e, e);
        }
        Map<String, String> servers = new TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            String name = key.trim();
            if (name.equals("version")) {
                throw new ConfigException(KEY, file + ": dynamic file shouldn't have version inside");
            }
            if (!EnsembleConfig.SERVER_KEY.matcher(name).matches()) {
                throw new ConfigException(KEY, file + ": Unrecognised parameter: " + name
                        + " (a dynamic file holds server.N lines only)");
            }
            servers.put(name, props.getProperty(key).trim());
        }
        return new Membership(servers, versionOf(file.getFileName().toString()), file);
    }

    /** The hexadecimal suffix after the name's last dot, or 0 when there is none (as ZooKeeper reads it). */
    static long versionOf(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0) {
            return 0;
        }
        try {
            return Long.parseLong(fileName.substring(dot + 1), 16);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long hex(String key, String value) {
        try {
            return Long.parseLong(value, 16);
        } catch (NumberFormatException e) {
            throw ConfigException.invalid(key, value, "not a hexadecimal number");
        }
    }
}
