package io.corral.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a shell printed for a script, split and normalised for comparison: the watch events (printed by another
 * thread, so at any point of the output) apart from the rest, and with what must differ between two servers and two
 * runs replaced by placeholders: the server's address, times, zxids, session ids, and the lines of zkCli commands
 * Corral's shell does not have.
 */
record Transcript(String stdout, String stderr, List<Integer> exitCodes, List<String> events) {
    private static final Pattern EVENT = Pattern.compile("\n(WatchedEvent [^\n]*)\n");
    /** usage lines of commands only one of the shells has (zkCli's not in Corral's yet, Corral's own) */
    private static final Pattern ZK_ONLY_USAGE = Pattern.compile(
            "(?m)^\t(delquota|listquota|setquota|transferleader|watch) .*\n");

    static int countEvents(String stdout) {
        Matcher m = EVENT.matcher(stdout);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    static Transcript of(String stdout, String stderr, List<Integer> exitCodes, String connectString) {
        List<String> events = new ArrayList<>();
        Matcher m = EVENT.matcher(stdout);
        while (m.find()) {
            events.add(normalise(m.group(1), connectString));
        }
        String text = EVENT.matcher(stdout.replace("\nWATCHER::\n", "")).replaceAll("");
        return new Transcript(normalise(text, connectString), normalise(stderr, connectString), exitCodes, events);
    }

    static String normalise(String s, String connectString) {
        return ZK_ONLY_USAGE.matcher(s).replaceAll("")
                .replace(connectString, "<server>")
                .replace("ZooKeeper -server host:port -client-configuration properties-file cmd args", "<usage>")
                .replace("corral-cli -server host:port[,host:port...] cmd args", "<usage>")
                .replaceAll("(?m)^([cm]time) = .*$", "$1 = <time>")
                .replaceAll("(?m)^([cmp]Zxid) = 0x[0-9a-f]+$", "$1 = <zxid>")
                .replaceAll("(?m)^ephemeralOwner = 0x[0-9a-f]{2,}$", "ephemeralOwner = <session>")
                .replaceAll("zxid: [0-9]+", "zxid: <zxid>");
    }
}
