package io.corral.server.ops;

import io.corral.server.config.ServerConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The effective configuration as conf and the admin command configuration print it: ZooKeeper 3.9's keys first, in
 * its order and with its meanings (in an ensemble its quorum keys too), then Corral's other settings.
 */
public final class Configuration {
    private Configuration() {
    }

    public static Map<String, String> of(ServerConfig config) {
        Map<String, String> ours = config.asMap();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("clientPort", ours.get("clientPort"));
        values.put("secureClientPort", ours.getOrDefault("secureClientPort", "-1")); // -1: none
        values.put("dataDir", ours.get("dataDir"));
        values.put("dataDirSize", Long.toString(FourLetterWordAnswers.directorySize(config.dataDir().toFile())));
        values.put("dataLogDir", ours.get("dataLogDir"));
        values.put("dataLogSize", Long.toString(FourLetterWordAnswers.directorySize(config.dataLogDir().toFile())));
        values.put("tickTime", ours.get("tickTime"));
        values.put("maxClientCnxns", ours.get("maxClientCnxns"));
        values.put("minSessionTimeout", ours.get("minSessionTimeout"));
        values.put("maxSessionTimeout", ours.get("maxSessionTimeout"));
        values.put("clientPortListenBacklog", "-1"); // the operating system's default backlog, as ZooKeeper's -1
        values.put("serverId", ours.get("serverId"));
        config.ensemble().ifPresent(ensemble -> {
            values.put("initLimit", ours.get("initLimit"));
            values.put("syncLimit", ours.get("syncLimit"));
            values.put("electionAlg", "3"); // ZooKeeper's only one, fast leader election
            values.put("electionPort", Integer.toString(ensemble.me().electionPort()));
            values.put("quorumPort", Integer.toString(ensemble.me().peerAddress().getPort()));
            values.put("peerType", ensemble.isObserver() ? "1" : "0"); // ZooKeeper's LearnerType ordinal
        });
        ours.forEach(values::putIfAbsent);
        return values;
    }

    /**
     * The answer to conf: the keys of {@link #of}, then in an ensemble, last as in ZooKeeper's answer,
     * {@code membership: } and {@code membership}, the configuration in force as {@code /zookeeper/config} holds it
     * (null standalone).
     */
    public static String conf(ServerConfig config, String membership) {
        StringBuilder out = new StringBuilder();
        of(config).forEach((key, value) -> out.append(key).append('=').append(value).append('\n'));
        if (membership != null) {
            out.append("membership: \n").append(membership);
        }
        return out.toString();
    }
}
