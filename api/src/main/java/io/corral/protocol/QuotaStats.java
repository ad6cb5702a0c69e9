package io.corral.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The text ZooKeeper keeps in its quota nodes ({@code /zookeeper/quota/<path>/zookeeper_limits} and
 * {@code zookeeper_stats}), as its StatsTrack reads and writes it: {@code count=N,bytes=M}, and when more figures are
 * set (3.9's hard limits), an extra {@code =} and the others sorted by name, each after a {@code ;}:
 * {@code count=5,bytes=-1=;byteHardLimit=-1;countHardLimit=10}. A figure that is not set reads as -1 (no limit).
 * Older readers that split on {@code ,} and {@code =} still find count and bytes in the new form.
 */
public final class QuotaStats {
    /** The node under which every quota lives, mirroring the limited path. */
    public static final String QUOTA_ROOT = "/zookeeper/quota";
    public static final String LIMIT_NODE = "zookeeper_limits";
    public static final String STAT_NODE = "zookeeper_stats";

    public static final String COUNT = "count";
    public static final String BYTES = "bytes";
    public static final String COUNT_HARD_LIMIT = "countHardLimit";
    public static final String BYTE_HARD_LIMIT = "byteHardLimit";

    private static final Pattern PAIRS = Pattern.compile("[,;]+");

    private final Map<String, Long> figures = new LinkedHashMap<>();

    /** No figure set: every one reads -1. */
    public QuotaStats() {
    }

    /**
     * Parses a quota node's text as ZooKeeper does (a pair with no value reads -1).
     *
     * @throws IllegalArgumentException when a pair is not {@code name=number}
     */
    public static QuotaStats parse(String text) {
        QuotaStats stats = new QuotaStats();
        if (text == null || text.isEmpty()) {
            return stats;
        }
        for (String pair : PAIRS.split(text)) {
            String[] kv = pair.split("=");
            if (kv.length < 1 || kv[0].isEmpty()) {
                throw new IllegalArgumentException("not a quota figure: '" + pair + "' in '" + text + "'");
            }
            try {
                stats.figures.put(kv[0], kv.length < 2 || kv[1].isEmpty() ? -1L : Long.parseLong(kv[1]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a quota figure: '" + pair + "' in '" + text + "'", e);
            }
        }
        return stats;
    }

    public static QuotaStats parse(byte[] data) {
        return parse(data == null ? null : new String(data, StandardCharsets.UTF_8));
    }

    /** {@code /zookeeper/quota} + path: the node that holds the quota nodes of path. */
    public static String quotaPath(String path) {
        return QUOTA_ROOT + path;
    }

    public static String limitPath(String path) {
        return QUOTA_ROOT + path + "/" + LIMIT_NODE;
    }

    public static String statPath(String path) {
        return QUOTA_ROOT + path + "/" + STAT_NODE;
    }

    public long count() {
        return get(COUNT);
    }

    public long bytes() {
        return get(BYTES);
    }

    public long countHardLimit() {
        return get(COUNT_HARD_LIMIT);
    }

    public long byteHardLimit() {
        return get(BYTE_HARD_LIMIT);
    }

    public QuotaStats set(String figure, long value) {
        figures.put(figure, value);
        return this;
    }

    /** The figure, or -1 when it is not set. */
    public long get(String figure) {
        Long value = figures.get(figure);
        return value == null ? -1 : value;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        text.append(COUNT).append('=').append(count()).append(',').append(BYTES).append('=').append(bytes());
        List<String> others = new ArrayList<>(figures.keySet());
        others.remove(COUNT);
        others.remove(BYTES);
        if (!others.isEmpty()) {
            text.append('=');
            Collections.sort(others);
            for (String name : others) {
                text.append(';').append(name).append('=').append(figures.get(name));
            }
        }
        return text.toString();
    }

    public byte[] toBytes() {
        return toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuotaStats other && figures.equals(other.figures);
    }

    @Override
    public int hashCode() {
        return figures.hashCode();
    }
}
