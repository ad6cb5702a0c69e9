package io.corral.server.zab;

import io.corral.log.LogEntry;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reconfig txns as the core's tests write them: ZooKeeper's reconfig opcode, and a body of the form
 * {@code v=1,2,3;o=4} (the server encodes ZooKeeper's configuration text instead).
 */
final class TestMemberships implements MembershipDecoder {

    /** ZooKeeper's OpCode.reconfig */
    static final int RECONFIG = 16;

    static final TestMemberships DECODER = new TestMemberships();

    static LogEntry reconfig(long zxid, Set<Long> voters, Set<Long> observers) {
        String text = "v=" + join(voters) + ";o=" + join(observers);
        return new LogEntry(zxid, 7, 0, 0, RECONFIG, text.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public Membership decode(LogEntry entry) {
        if (entry.type() != RECONFIG) {
            return null;
        }
        String[] parts = new String(entry.body(), StandardCharsets.US_ASCII).split(";", -1);
        return new Membership(entry.zxid(), ids(parts[0].substring(2)), ids(parts[1].substring(2)));
    }

    private static String join(Set<Long> ids) {
        return new TreeSet<>(ids).stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static Set<Long> ids(String list) {
        return list.isEmpty() ? Set.of()
                : Arrays.stream(list.split(",")).map(Long::valueOf).collect(Collectors.toSet());
    }
}
