package io.corral.client.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.corral.client.AbstractClientContract;
import io.corral.client.CorralClient;
import io.corral.client.CorralTestServer;
import io.corral.client.TestServer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;
import org.apache.curator.framework.recipes.shared.SharedCount;
import org.apache.curator.retry.RetryNTimes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Corral's recipes and Curator's on the same nodes (on a Corral server): the node layouts are the same, so a Curator
 * process and a Corral-client process exclude each other and share a counter.
 */
class RecipesInteropWithCuratorTest extends AbstractClientContract {
    private static final Duration QUIET = Duration.ofMillis(300);
    private CuratorFramework curator;

    @Override
    protected TestServer startServer(Map<String, String> config) {
        return CorralTestServer.start(config);
    }

    private CuratorFramework curator() throws InterruptedException {
        curator = CuratorFrameworkFactory.builder().connectString(server.connectString()).sessionTimeoutMs(10_000)
                .connectionTimeoutMs(3_000).retryPolicy(new RetryNTimes(3, 100)).build();
        curator.start();
        assertThat(curator.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
        return curator;
    }

    @AfterEach
    void closeCurator() {
        if (curator != null) {
            curator.close();
            curator = null;
        }
    }

    @Test
    void mutexExcludesCuratorsInterProcessMutexBothWays() throws Exception {
        String path = root("interop-mutex") + "/lock";
        CorralClient client = connect();
        InterProcessMutex theirs = new InterProcessMutex(curator(), path);
        assertThat(theirs.acquire(10, TimeUnit.SECONDS)).isTrue();
        Mono<LockLease> ours = new Mutex(client, path).acquire().cache();
        ours.subscribe();
        expectNothingFor(ours, QUIET);
        theirs.release();
        LockLease lease = await(ours);
        assertThat(theirs.acquire(200, TimeUnit.MILLISECONDS)).isFalse(); // Curator sees our node ahead of it
        run(lease.release());
        assertThat(theirs.acquire(10, TimeUnit.SECONDS)).isTrue();
        theirs.release();
    }

    @Test
    void readLockWaitsForCuratorsWriteLock() throws Exception {
        String path = root("interop-rw") + "/lock";
        CorralClient client = connect();
        InterProcessReadWriteLock theirs = new InterProcessReadWriteLock(curator(), path);
        assertThat(theirs.writeLock().acquire(10, TimeUnit.SECONDS)).isTrue();
        Mono<LockLease> ourRead = new ReadWriteLock(client, path).readLock().acquire().cache();
        ourRead.subscribe();
        expectNothingFor(ourRead, QUIET);
        theirs.writeLock().release();
        LockLease read = await(ourRead);
        assertThat(theirs.readLock().acquire(10, TimeUnit.SECONDS)).isTrue(); // readers share across both
        theirs.readLock().release();
        run(read.release());
    }

    @Test
    void counterIsCuratorsSharedCount() throws Exception {
        String path = root("interop-counter") + "/c";
        CorralClient client = connect();
        SharedCounter ours = new SharedCounter(client, path, 3);
        assertThat(await(ours.add(2))).isEqualTo(5);
        try (SharedCount theirs = new SharedCount(curator(), path, 0)) {
            theirs.start();
            assertThat(theirs.getCount()).isEqualTo(5);
            assertThat(theirs.trySetCount(theirs.getVersionedValue(), 11)).isTrue();
        }
        assertThat(await(ours.get()).value()).isEqualTo(11);
    }
}
