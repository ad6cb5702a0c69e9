package io.corral.server.compat;

import java.util.Map;
import org.apache.zookeeper.server.command.FourLetterCommands;
import org.junit.jupiter.api.AfterAll;

/** Proves {@link RawProtocolContract} against Apache ZooKeeper. */
class RawProtocolOnZooKeeperTest extends RawProtocolContract {
    private static final String WHITELIST_PROPERTY = "zookeeper.4lw.commands.whitelist";
    private String previousWhitelist;

    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        // ZooKeeper takes its four-letter-word whitelist from a JVM-wide system property (which CompatHarness sets
        // to "*") and caches it: pin this contract's list for the lifetime of this class, then put it back.
        CompatHarness.init();
        previousWhitelist = System.setProperty(WHITELIST_PROPERTY, config.get("4lw.commands.whitelist"));
        FourLetterCommands.resetWhiteList();
        return ZooKeeperServers.start(config);
    }

    @AfterAll
    void restoreWhitelist() {
        if (previousWhitelist == null) {
            System.clearProperty(WHITELIST_PROPERTY);
        } else {
            System.setProperty(WHITELIST_PROPERTY, previousWhitelist);
        }
        FourLetterCommands.resetWhiteList();
    }
}
