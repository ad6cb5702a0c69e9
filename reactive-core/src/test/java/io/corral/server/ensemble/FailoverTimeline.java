package io.corral.server.ensemble;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;

/** What the servers' logs say of a failover, in ms after the kill: for a test to print, not to assert. */
final class FailoverTimeline {
    private FailoverTimeline() {
    }

    /**
     * The survivors' protocol lines from the kill until each serves again, then the restarted server's start-up and
     * protocol lines until it serves, in ms after the kill.
     */
    static String of(ProcessCluster cluster, int killed, LocalTime killClock) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int id : cluster.ids()) {
            if (id != killed) {
                lines(sb, cluster, id, killClock, "ZabQuorum");
            }
        }
        lines(sb, cluster, killed, killClock, "TxnLog", "CorralServer", "ZabQuorum");
        return sb.toString();
    }

    private static void lines(StringBuilder sb, ProcessCluster cluster, int id, LocalTime from, String... loggers)
            throws IOException {
        for (String line : Files.readAllLines(cluster.server(id).logFile(), StandardCharsets.UTF_8)) {
            LocalTime at = clock(line);
            if (at == null || at.isBefore(from) || Arrays.stream(loggers).noneMatch(line::contains)) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "    +%4d ms  server %d: %s%n", Duration.between(from, at).toMillis(),
                    id, line.substring(line.indexOf(" - ") + 3)));
            if (line.contains("serves clients")) {
                break;
            }
        }
    }

    private static LocalTime clock(String line) {
        if (line.length() < 12 || line.charAt(2) != ':') {
            return null;
        }
        try {
            return LocalTime.parse(line.substring(0, 12));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

}
