package io.corral.server.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.apache.curator.RetryPolicy;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionStateListener;

/**
 * The Curator clients, recipes and other clients a Curator contract test opens: each is tracked here and closed
 * after the test, newest first (a recipe before the client it runs on).
 */
final class CuratorClients {
    private final Deque<Closeable> opened = new ArrayDeque<>();
    private final Duration connectWait;

    /** {@code connectWait}: how long {@link #connect} waits for the first connection. */
    CuratorClients(Duration connectWait) {
        this.connectWait = connectWait;
    }

    /**
     * A started Curator client on {@code connectString}, connected when it returns; {@code states} (may be null)
     * hears every connection state change from the start.
     */
    CuratorFramework connect(String connectString, int sessionTimeoutMs, int connectionTimeoutMs, RetryPolicy retry,
                             ConnectionStateListener states) throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(sessionTimeoutMs)
                .connectionTimeoutMs(connectionTimeoutMs)
                .retryPolicy(retry)
                .build();
        if (states != null) {
            client.getConnectionStateListenable().addListener(states);
        }
        track(client);
        client.start();
        assertThat(client.blockUntilConnected((int) connectWait.toSeconds(), TimeUnit.SECONDS))
                .as("curator connected").isTrue();
        return client;
    }

    /** Closes {@code resource} with the rest after the test; returns it. */
    <T extends Closeable> T track(T resource) {
        opened.push(resource);
        return resource;
    }

    /** Closes everything tracked, newest first; a failing close does not stop the others. */
    void closeAll() {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception ignored) {
                // best effort: the next test gets fresh clients either way
            }
        }
    }
}
