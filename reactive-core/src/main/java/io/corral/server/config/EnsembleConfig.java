package io.corral.server.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replicated mode's settings: the {@code server.N} lines (in zoo.cfg or in the {@code dynamicConfigFile}, see
 * {@link DynamicConfigFile}) and their version, this server's id (the {@code myid} file in dataDir),
 * {@code initLimit}, {@code syncLimit}, {@code peerType} and {@code standaloneEnabled}, with ZooKeeper's syntax:
 * {@code server.N=host:quorumPort:electionPort[:participant|observer][;[clientHost:]clientPort]}.
 * Corral's peer protocol runs on the quorum port only; the election port is parsed and checked but not bound.
 */
public final class EnsembleConfig {
    static final Pattern SERVER_KEY = Pattern.compile("server\\.(\\d+)");

    /** One {@code server.N} line; {@code clientAddress} is null when the line has no client part. */
    public record Member(long id, InetSocketAddress peerAddress, int electionPort, boolean observer,
                         InetSocketAddress clientAddress) {

        /** The line's value as ZooKeeper writes it back: the role always, the client part only if the line has one. */
        public String configValue() {
            String value = delimited(peerAddress) + ":" + peerAddress.getPort() + ":" + electionPort
                    + (observer ? ":observer" : ":participant");
            return clientAddress == null ? value
                    : value + ";" + delimited(clientAddress) + ":" + clientAddress.getPort();
        }

        private static String delimited(InetSocketAddress address) {
            String host = address.getHostString();
            return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        }
    }

    private final long myId;
    private final Map<Long, Member> members;
    private final int initLimit;
    private final int syncLimit;
    private final int learnerDiffLimit;
    private final long version;
    private final Path dynamicConfigFile;
    private final boolean reconfigEnabled;
    private final boolean standaloneEnabled;

    private EnsembleConfig(long myId, Map<Long, Member> members, int initLimit, int syncLimit, int learnerDiffLimit,
                           DynamicConfigFile.Membership membership, boolean reconfigEnabled,
                           boolean standaloneEnabled) {
        this.myId = myId;
        this.reconfigEnabled = reconfigEnabled;
        this.standaloneEnabled = standaloneEnabled;
        this.version = membership.version();
        this.dynamicConfigFile = membership.file();
        this.members = Collections.unmodifiableMap(members);
        this.initLimit = initLimit;
        this.syncLimit = syncLimit;
        this.learnerDiffLimit = learnerDiffLimit;
    }

    /**
     * The ensemble described by the file, or null when it describes a standalone server: no {@code server.N} line,
     * or (as ZooKeeper with standaloneEnabled, the default) a single participant and nothing else. With
     * {@code standaloneEnabled=false} a single participant is an ensemble of one, which others can join.
     */
    static EnsembleConfig parse(RawConfig raw, Path dataDir) {
        boolean standaloneEnabled = raw.bool("standaloneEnabled", true);
        boolean reconfigEnabled = raw.bool("reconfigEnabled", false);
        DynamicConfigFile.Membership membership = DynamicConfigFile.read(raw);
        Map<String, String> lines = membership.servers();
        String peerType = raw.string("peerType");
        int initLimit = raw.intValue("initLimit", 0, 1, Integer.MAX_VALUE);
        int syncLimit = raw.intValue("syncLimit", 0, 1, Integer.MAX_VALUE);
        int learnerDiffLimit = raw.intValue("learnerDiffLimit", 100_000, 0, Integer.MAX_VALUE);
        if (lines.isEmpty()) {
            if (!standaloneEnabled) {
                throw new ConfigException("standaloneEnabled", "standaloneEnabled = false then number of "
                        + "participants should be >0 (there is no server.N line)");
            }
            return null;
        }
        Map<Long, Member> members = new TreeMap<>();
        for (Map.Entry<String, String> line : lines.entrySet()) {
            Matcher m = SERVER_KEY.matcher(line.getKey());
            m.matches();
            long id = RawConfig.longValue(m.group(1), line.getKey(), 0, 0, 255 * 255 * 255L);
            members.put(id, member(line.getKey(), id, line.getValue()));
        }
        long voters = members.values().stream().filter(x -> !x.observer()).count();
        if (voters == 1 && members.size() == 1 && standaloneEnabled) {
            return null;
        }
        if (voters == 0) {
            throw new ConfigException("server.N", "the ensemble has no participant, only observers");
        }
        if (initLimit == 0) {
            throw new ConfigException("initLimit", "initLimit is required in replicated mode (in ticks)");
        }
        if (syncLimit == 0) {
            throw new ConfigException("syncLimit", "syncLimit is required in replicated mode (in ticks)");
        }
        long myId = readMyId(dataDir);
        Member me = members.get(myId);
        if (me == null) {
            throw new ConfigException("myid", "myid " + myId + " (in " + dataDir.resolve("myid")
                    + ") has no server." + myId + " line");
        }
        if (peerType != null) {
            String type = peerType.toLowerCase(Locale.ROOT);
            if (!type.equals("observer") && !type.equals("participant")) {
                throw ConfigException.invalid("peerType", peerType, "expected participant or observer");
            }
            if (type.equals("observer") != me.observer()) {
                throw ConfigException.invalid("peerType", peerType, "server." + myId + " is declared as "
                        + (me.observer() ? "an observer" : "a participant"));
            }
        }
        return new EnsembleConfig(myId, members, initLimit, syncLimit, learnerDiffLimit, membership, reconfigEnabled,
                standaloneEnabled);
    }

    static Member member(String key, long id, String value) {
        String server = value;
        InetSocketAddress client = null;
        int semicolon = value.indexOf(';');
        if (semicolon >= 0) {
            server = value.substring(0, semicolon).trim();
            client = clientAddress(key, value.substring(semicolon + 1).trim());
        }
        // the host may be a bracketed IPv6 literal: [::1]:2888:3888
        int hostEnd = server.startsWith("[") ? server.indexOf(']') + 1 : server.indexOf(':');
        String[] ports = hostEnd <= 0 || hostEnd >= server.length() || server.charAt(hostEnd) != ':'
                ? new String[0] : server.substring(hostEnd + 1).split(":", -1);
        if (ports.length < 2 || ports.length > 3) {
            throw ConfigException.invalid(key, value, "expected host:quorumPort:electionPort[:participant|observer]"
                    + "[;[clientHost:]clientPort]");
        }
        InetAddress host = asWritten(key, server.substring(0, hostEnd));
        int quorumPort = (int) RawConfig.longValue(ports[0], key, 0, 1, 65535);
        int electionPort = (int) RawConfig.longValue(ports[1], key, 0, 1, 65535);
        boolean observer = false;
        if (ports.length == 3) {
            String type = ports[2].toLowerCase(Locale.ROOT);
            if (!type.equals("observer") && !type.equals("participant")) {
                throw ConfigException.invalid(key, value, "the role must be participant or observer");
            }
            observer = type.equals("observer");
        }
        return new Member(id, new InetSocketAddress(host, quorumPort), electionPort, observer, client);
    }

    private static InetSocketAddress clientAddress(String key, String value) {
        int colon = value.lastIndexOf(':');
        String host = colon < 0 ? "0.0.0.0" : value.substring(0, colon);
        String port = colon < 0 ? value : value.substring(colon + 1);
        return new InetSocketAddress(asWritten(key, host), (int) RawConfig.longValue(port, key, 0, 0, 65535));
    }

    /**
     * The address of an IP literal that keeps the literal as written (without brackets) for its host string: the
     * configuration is written back ({@link #configText()}) as ZooKeeper does, {@code [::1]} and not
     * {@code [0:0:0:0:0:0:0:1]}.
     */
    private static InetAddress asWritten(String key, String text) {
        InetAddress parsed = IpLiterals.parse(key, text);
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (bare.equals(parsed.getHostAddress()) || bare.equalsIgnoreCase("localhost")) {
            return parsed;
        }
        try {
            return InetAddress.getByAddress(bare, parsed.getAddress()); // no lookup: the name is only kept
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("a parsed address has a valid length", e);
        }
    }

    /**
     * Where this server takes clients, as ZooKeeper decides it: its {@code server.N} line's client part when it has
     * one (which must then agree with zoo.cfg's {@code clientPort}/{@code clientPortAddress} if those are set),
     * else zoo.cfg's.
     */
    static InetSocketAddress clientAddress(EnsembleConfig ensemble, boolean staticPortSet,
                                           InetSocketAddress staticAddress) {
        InetSocketAddress line = ensemble == null ? null : ensemble.me().clientAddress();
        if (line == null) {
            return staticAddress;
        }
        boolean sameHost = staticAddress.getAddress().isAnyLocalAddress()
                || staticAddress.getAddress().equals(line.getAddress());
        if (staticPortSet && (staticAddress.getPort() != line.getPort() || !sameHost)) {
            throw new ConfigException("clientPort", "client address for this server (id = " + ensemble.myId()
                    + ") in static config file is " + staticAddress + " is different from client address found in"
                    + " its server." + ensemble.myId() + " line: " + line);
        }
        return line;
    }

    private static long readMyId(Path dataDir) {
        Path file = dataDir.resolve("myid");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            throw new ConfigException("myid", file + " is missing; replicated mode needs this server's id there");
        } catch (IOException e) {
            throw new ConfigException("myid", "Cannot read " + file + ": " + e, e);
        }
        return RawConfig.longValue(text, "myid", 0, 0, Long.MAX_VALUE);
    }

    public long myId() { return myId; }
    public Map<Long, Member> members() { return members; }
    public Member me() { return members.get(myId); }
    public int initLimit() { return initLimit; }
    public int syncLimit() { return syncLimit; }

    /** A learner further behind than this many txns is sent a snapshot instead of the missing txns. */
    public int learnerDiffLimit() { return learnerDiffLimit; }

    public boolean isObserver() {
        return me().observer();
    }

    /**
     * The configuration's version: 0 unless zoo.cfg's {@code version} key or the dynamic file's name says otherwise
     * (ZooKeeper gives a config a new version, the zxid that committed it, on each reconfiguration).
     */
    public long version() { return version; }

    /** The {@code dynamicConfigFile} the server lines were read from, or null when they are in zoo.cfg. */
    public Path dynamicConfigFile() { return dynamicConfigFile; }

    /** Whether the membership may change at run time (the {@code reconfig} operation): {@code reconfigEnabled}. */
    public boolean reconfigEnabled() { return reconfigEnabled; }

    /** {@code standaloneEnabled}: with it, ZooKeeper refuses a reconfig that leaves fewer than two voters. */
    public boolean standaloneEnabled() { return standaloneEnabled; }

    /** The server lines of the files and their version. */
    public ServerLines serverLines() {
        return new ServerLines(version, new java.util.TreeMap<>(members));
    }

    /**
     * The data of {@code /zookeeper/config}, as ZooKeeper 3.9 writes it: one {@code server.N=} line per member in
     * ascending id order, then {@code version=} and the version in hexadecimal (no newline after it).
     */
    public String configText() {
        return serverLines().configText();
    }
}
