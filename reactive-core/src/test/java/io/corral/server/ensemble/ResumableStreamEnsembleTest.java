package io.corral.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.client.Change;
import io.corral.client.ConnectionState;
import io.corral.client.CorralClient;
import io.corral.client.WatchMode;
import io.corral.log.CloseableIterator;
import io.corral.log.LogEntry;
import io.corral.log.LogOptions;
import io.corral.log.TxnLog;
import io.corral.protocol.StreamChange;
import io.corral.server.stream.TxnChanges;
import io.corral.server.txn.TxnCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The property of resumable watch streams: random writes under a subtree (and beside it) while the servers of a
 * three-member ensemble are stopped and restarted in turn, so that the subscribers' client moves between members
 * and meets leader changes; the concatenation of every change a subscriber received equals, zxid for zxid, the
 * changes the committed log holds under that subtree after its starting zxid. Seeded; {@code corral.stream.rounds}
 * rounds of faults (more with -Psoak).
 */
class ResumableStreamEnsembleTest {
    private static final Duration SERVING = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long SEED = Long.getLong("corral.stream.seed", 16);
    private static final int ROUNDS = Integer.getInteger("corral.stream.rounds", 4);
    private static final int WRITES_PER_ROUND = 40;

    @TempDir
    Path dir;
    private InProcessEnsemble ensemble;
    private final List<CorralClient> clients = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (CorralClient client : clients) {
            client.close().onErrorComplete().block(WAIT);
        }
        if (ensemble != null) {
            ensemble.close();
        }
    }

    private CorralClient connect(String connectString) {
        CorralClient client = CorralClient.connect(connectString).block(SERVING);
        clients.add(client);
        return client;
    }

    @Test
    void everyCommittedChangeUnderTheSubtreeArrivesOnceInZxidOrderAcrossFailovers() throws Exception {
        ensemble = new InProcessEnsemble(dir, 3, 0, Map.of());
        ensemble.startAll();
        ensemble.awaitServing(SERVING);
        Random random = new Random(SEED);
        CorralClient writer = connect(ensemble.connectString());
        long start = writer.create("/prop", new byte[0]).block(WAIT).stat().czxid();

        CorralClient reader = connect(ensemble.connectString());
        List<Change> received = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failed = Collections.synchronizedList(new ArrayList<>());
        Disposable stream = reader.watch("/prop", WatchMode.SUBTREE, start)
                .subscribe(received::add, failed::add);
        List<ConnectionState> readerStates = Collections.synchronizedList(new ArrayList<>());
        Disposable states = reader.states().subscribe(readerStates::add);

        int first = random.nextInt(3);
        for (int round = 0; round < ROUNDS; round++) {
            // every member in turn, so the reader's server goes down too: it moves, and resumes elsewhere
            long down = ensemble.ids().get((first + round) % ensemble.ids().size());
            writeRandomly(writer, random, WRITES_PER_ROUND / 2);
            ensemble.stop(down);
            writeRandomly(writer, random, WRITES_PER_ROUND / 2);
            ensemble.start(down);
            ensemble.awaitServing(SERVING);
        }
        long last = writer.setData("/prop", "end".getBytes(StandardCharsets.UTF_8)).block(WAIT).mzxid();
        await().atMost(WAIT).until(() -> !failed.isEmpty()
                || !received.isEmpty() && received.get(received.size() - 1).zxid() >= last);
        stream.dispose();
        states.dispose();
        assertThat(failed).isEmpty();
        assertThat(readerStates).contains(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED);

        long leader = ensemble.leader().orElseThrow();
        ensemble.close();
        List<String> committed = committedChanges(dir.resolve("server" + leader).resolve("txnlog"), start, last);
        assertThat(committed).hasSizeGreaterThan(ROUNDS * WRITES_PER_ROUND / 4);
        assertThat(received).extracting(ResumableStreamEnsembleTest::describe).containsExactlyElementsOf(committed);
    }

    /** Creates, updates and deletes of a few nodes under /prop (and some beside it); failures are part of it. */
    private static void writeRandomly(CorralClient writer, Random random, int n) {
        for (int i = 0; i < n; i++) {
            String node = "/prop/n" + random.nextInt(6);
            String deep = node + "/d" + random.nextInt(2);
            byte[] data = Integer.toString(random.nextInt(1000)).getBytes(StandardCharsets.UTF_8);
            var write = switch (random.nextInt(7)) {
                case 0, 1 -> writer.create(node, data).then();
                case 2 -> writer.create(deep, data).then();
                case 3, 4 -> writer.setData(node, data).then();
                case 5 -> writer.delete(random.nextBoolean() ? deep : node).then();
                default -> writer.setData("/", data).then(); // outside the subtree
            };
            write.onErrorComplete().block(WAIT); // NODEEXISTS, NONODE, NOTEMPTY, CONNECTIONLOSS: all allowed
        }
    }

    /** What the log committed under /prop after start, up to last: the changes of each txn, described. */
    private static List<String> committedChanges(Path logDir, long start, long last) {
        List<String> changes = new ArrayList<>();
        try (TxnLog log = TxnLog.open(logDir, LogOptions.defaults().withForceSync(false));
             CloseableIterator<LogEntry> entries = log.readFrom(start)) {
            while (entries.hasNext()) {
                LogEntry entry = entries.next();
                if (entry.zxid() > last) {
                    break;
                }
                for (StreamChange change : TxnChanges.of(TxnCodec.decode(entry.body()), entry.zxid(), entry.time())) {
                    if (change.path().equals("/prop") || change.path().startsWith("/prop/")) {
                        changes.add(describe(entry.zxid(), change.type(), change.path(), change.data()));
                    }
                }
            }
        }
        return changes;
    }

    private static String describe(Change c) {
        return describe(c.zxid(), c.type().code(), c.path(), c.data());
    }

    private static String describe(long zxid, int type, String path, byte[] data) {
        return "0x" + Long.toHexString(zxid) + " " + type + " " + path + " "
                + (data == null ? "-" : new String(data, StandardCharsets.UTF_8));
    }
}
