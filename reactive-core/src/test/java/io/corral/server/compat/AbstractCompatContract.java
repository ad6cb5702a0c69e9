package io.corral.server.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of every compatibility contract: one server per test class ({@link #serverConfig()}), clients opened through
 * {@link #connect()} are closed after each test. Subclasses {@code XxxOnZooKeeperTest} / {@code XxxOnCorralTest} only
 * implement {@link #startServer(Map)}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractCompatContract {

    protected ServerUnderTest server;
    private final List<ZooKeeper> clients = new ArrayList<>();
    private final List<ServerUnderTest> extraServers = new ArrayList<>();

    /** Starts the server under test with the given config (see {@link ZooKeeperServers} for keys). */
    protected abstract ServerUnderTest startServer(Map<String, String> config);

    /** Config of the per-class server. */
    protected Map<String, String> serverConfig() {
        return Map.of();
    }

    @BeforeAll
    void startSharedServer() {
        server = startServer(serverConfig());
    }

    @AfterAll
    void stopSharedServer() {
        for (ServerUnderTest s : extraServers) {
            s.close();
        }
        extraServers.clear();
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void closeClients() {
        ZkClients.closeQuietly(clients.toArray(new ZooKeeper[0]));
        clients.clear();
    }

    /** A server of its own for one test (closed after the class). */
    protected ServerUnderTest freshServer(Map<String, String> config) {
        ServerUnderTest s = startServer(config);
        extraServers.add(s);
        return s;
    }

    protected ZooKeeper connect() {
        return track(ZkClients.connect(server.connectString()));
    }

    protected ZooKeeper connect(Watcher watcher) {
        return track(ZkClients.connect(server.connectString(), watcher));
    }

    protected ZooKeeper connect(ServerUnderTest target, int sessionTimeoutMs, Watcher watcher) {
        return track(ZkClients.connect(target.connectString(), sessionTimeoutMs, watcher));
    }

    /** Registers a client to be closed after the test. */
    protected ZooKeeper track(ZooKeeper zk) {
        clients.add(zk);
        return zk;
    }
}
