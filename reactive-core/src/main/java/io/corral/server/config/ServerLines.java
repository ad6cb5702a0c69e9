package io.corral.server.config;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * One version of the ensemble's configuration: its {@code server.N} lines and the version (0 for the static one,
 * else the zxid of the reconfig that made it). What {@code /zookeeper/config} holds and what a reconfig proposes,
 * in ZooKeeper's text: one line per server in ascending id order, then {@code version=<hex>}.
 */
public record ServerLines(long version, SortedMap<Long, EnsembleConfig.Member> members) {

    public ServerLines {
        members = Collections.unmodifiableSortedMap(new TreeMap<>(members));
    }

    /**
     * The lines of a properties text ({@code server.N=...}, anything else refused), as a reconfig's
     * {@code newMembers} or {@code /zookeeper/config}'s data hold them; {@code version} lines are skipped.
     *
     * @throws ConfigException naming the line that is not a valid server line
     */
    public static ServerLines parse(String text, long version) {
        Properties props = new Properties();
        try {
            props.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("server.N", "cannot read the server lines: " + e.getMessage(), e);
        }
        SortedMap<Long, EnsembleConfig.Member> members = new TreeMap<>();
        for (String rawKey : props.stringPropertyNames()) {
            String key = rawKey.trim();
            if (key.equals("version")) {
                continue;
            }
            Matcher m = EnsembleConfig.SERVER_KEY.matcher(key);
            if (!m.matches()) {
                throw new ConfigException(key, "Unrecognised parameter: " + key);
            }
            long id = RawConfig.longValue(m.group(1), key, 0, 0, 255 * 255 * 255L);
            members.put(id, EnsembleConfig.member(key, id, props.getProperty(rawKey).trim()));
        }
        return new ServerLines(version, members);
    }

    /** The same lines under another version. */
    public ServerLines withVersion(long newVersion) {
        return new ServerLines(newVersion, members);
    }

    public Set<Long> voters() {
        Set<Long> ids = new TreeSet<>();
        members.values().stream().filter(m -> !m.observer()).forEach(m -> ids.add(m.id()));
        return ids;
    }

    public Set<Long> observers() {
        Set<Long> ids = new TreeSet<>();
        members.values().stream().filter(EnsembleConfig.Member::observer).forEach(m -> ids.add(m.id()));
        return ids;
    }

    /** The data of {@code /zookeeper/config}: the lines as ZooKeeper writes them back, then the version in hex. */
    public String configText() {
        StringBuilder text = new StringBuilder();
        for (EnsembleConfig.Member member : members.values()) {
            text.append("server.").append(member.id()).append('=').append(member.configValue()).append('\n');
        }
        return text.append("version=").append(Long.toHexString(version)).toString();
    }

    /**
     * The dynamic file as ZooKeeper 3.9 writes it on a reconfiguration: the {@code key=value} lines sorted as strings
     * (server.10 before server.2), without the version (the file's name carries it) and without a final newline.
     */
    public String dynamicFileText() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<Long, EnsembleConfig.Member> e : members.entrySet()) {
            lines.add("server." + e.getKey() + "=" + e.getValue().configValue());
        }
        Collections.sort(lines);
        return String.join("\n", lines);
    }
}
