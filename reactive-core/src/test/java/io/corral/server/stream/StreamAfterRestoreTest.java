package io.corral.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.client.Change;
import io.corral.client.CorralClient;
import io.corral.client.KeeperErrorException;
import io.corral.client.WatchMode;
import io.corral.protocol.ErrorCode;
import io.corral.server.CorralServer;
import io.corral.server.compat.CompatHarness;
import io.corral.server.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A restore (the AdminServer's {@code restore}) replaces the state while the txn log still holds the history it
 * replaced: a resumable stream must never serve that history. Streams open at the restore end with HISTORY_COMPACTED,
 * a resume from before the restore is refused with it (also after a restart), and a stream of the restored state
 * sees the changes made after it.
 */
class StreamAfterRestoreTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SUPER = "digest " + CompatHarness.SUPER_USER_PASSWORD;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private Path dir;

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        if (dir != null) {
            CompatHarness.deleteRecursively(dir);
        }
    }

    @Test
    void aRestoreEndsTheStreamsAndNoneResumesIntoTheReplacedHistory() throws Exception {
        dir = CompatHarness.newTempDir("corral-stream-restore-");
        CorralServer server = start();
        CorralClient client = connect(server); // its session is in the backup: it outlives the restore
        long start = client.create("/r", CorralClient.utf8("r")).block(WAIT).stat().czxid();
        client.create("/r/a", CorralClient.utf8("a0")).block(WAIT);
        Path backup = dir.resolve("backup");
        HttpResponse<Path> taken = http.send(HttpRequest.newBuilder(adminUri(server, "/snapshot?streaming=true"))
                .header("Authorization", SUPER).GET().build(), HttpResponse.BodyHandlers.ofFile(backup));
        assertThat(taken.statusCode()).isEqualTo(200);
        // the history the restore replaces: still in the log afterwards
        client.setData("/r/a", CorralClient.utf8("replaced")).block(WAIT);
        long lastReplaced = client.create("/r/gone", new byte[0]).block(WAIT).stat().czxid();

        List<Change> received = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Disposable open = client.watch("/r", WatchMode.SUBTREE, start)
                .subscribe(received::add, ended::set, () -> ended.set(new AssertionError("completed")));
        closing.add(open::dispose);
        await().atMost(WAIT).until(() -> !received.isEmpty() && received.get(received.size() - 1).zxid()
                == lastReplaced);

        HttpResponse<String> restoring = http.send(HttpRequest.newBuilder(adminUri(server, "/restore"))
                        .header("Authorization", SUPER).header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofFile(backup)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(restoring.statusCode()).as(restoring.body()).isEqualTo(200);

        await().atMost(WAIT).until(() -> ended.get() != null);
        assertThat(KeeperErrorException.hasCode(ended.get(), ErrorCode.HISTORY_COMPACTED)).as("%s", ended.get())
                .isTrue();
        assertThat(received).allMatch(c -> c.zxid() <= lastReplaced);
        assertRefused(client, start);
        assertRefused(client, lastReplaced);

        // a stream of the restored state sees what happens after the restore, and only that
        List<Change> fresh = new CopyOnWriteArrayList<>();
        Disposable now = client.watch("/r", WatchMode.SUBTREE, CorralClient.NOW).subscribe(fresh::add);
        closing.add(now::dispose);
        assertThat(client.exists("/r/gone").blockOptional(WAIT)).isEmpty();
        long after = client.setData("/r/a", CorralClient.utf8("after")).block(WAIT).mzxid();
        assertThat(after).isGreaterThan(lastReplaced);
        await().atMost(WAIT).until(() -> !fresh.isEmpty());
        assertThat(fresh).extracting(c -> c.type() + " " + c.path() + " " + new String(c.data()) + " " + c.version())
                .containsExactly("NODE_DATA_CHANGED /r/a after 1");
        long justBefore = after - 1; // at or after the restore point

        // after a restart, the log still holds the replaced history before the restored snapshot: still refused
        client.close().block(WAIT);
        closing.remove(server);
        server.close();
        CorralServer restarted = start();
        CorralClient again = connect(restarted);
        assertRefused(again, start);
        assertRefused(again, lastReplaced);
        List<Change> resumed = again.watch("/r", WatchMode.SUBTREE, justBefore).take(1).collectList().block(WAIT);
        assertThat(resumed).extracting(Change::zxid).containsExactly(after);
    }

    private static void assertRefused(CorralClient client, long fromZxid) {
        AtomicReference<Throwable> error = new AtomicReference<>();
        client.watch("/r", WatchMode.SUBTREE, fromZxid).doOnError(error::set).onErrorComplete().blockLast(WAIT);
        assertThat(KeeperErrorException.hasCode(error.get(), ErrorCode.HISTORY_COMPACTED))
                .as("a stream after 0x%s ended with %s", Long.toHexString(fromZxid), error.get()).isTrue();
    }

    private CorralServer start() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("dataDir", dir.resolve("data").toString());
        keys.put("clientPort", "0");
        keys.put("clientPortAddress", "127.0.0.1");
        keys.put("admin.enableServer", "true");
        keys.put("admin.serverAddress", "127.0.0.1");
        keys.put("admin.serverPort", "0");
        keys.put("admin.rateLimiterIntervalInMS", "0");
        keys.put("DigestAuthenticationProvider.superDigest", CompatHarness.SUPER_DIGEST);
        CorralServer server = CorralServer.start(ServerConfig.parse(keys));
        closing.add(server);
        return server;
    }

    private CorralClient connect(CorralServer server) {
        CorralClient client = CorralClient.connect("127.0.0.1:" + server.clientAddress().getPort()).block(WAIT);
        closing.add(() -> client.close().block(WAIT));
        return client;
    }

    private static URI adminUri(CorralServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.adminAddress().getPort() + "/commands" + path);
    }
}
