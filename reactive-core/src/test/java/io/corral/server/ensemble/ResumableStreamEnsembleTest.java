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
import io.corral.server.config.DataDirectories;
import io.corral.server.stream.TxnChanges;
import io.corral.server.txn.TxnCodec;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The property of resumable watch streams: random writes under a subtree (and beside it) while the members of a
 * three-server ensemble, each its own JVM, are killed (kill -9), stopped (SIGTERM) or paused (SIGSTOP for longer
 * than the session timeout, so the others elect around it, then SIGCONT) and restarted, the victim being the leader,
 * the member the subscriber is connected to (so the subscriber moves to another member and resumes there) or any
 * member; the concatenation of every change the subscriber received equals, zxid for zxid, the changes the committed
 * log holds under that subtree after its starting zxid. Seeded ({@code corral.stream.seed}); {@code
 * corral.stream.rounds} faults, the first three one of each kind (more rounds with -Psoak).
 */
class ResumableStreamEnsembleTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long SEED = Long.getLong("corral.stream.seed", 16);
    private static final int ROUNDS = Integer.getInteger("corral.stream.rounds", 4);
    private static final int WRITES_PER_ROUND = 40;

    /** What is done to the victim, and undone. */
    private enum Kind { KILL, STOP, PAUSE }

    /** Who it is done to. */
    private enum Victim { LEADER, SUBSCRIBERS_SERVER, ANY }

    @TempDir
    Path dir;
    @RegisterExtension
    final ProcessClusters clusters = new ProcessClusters();
    private final List<CorralClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        for (CorralClient client : clients) {
            client.close().onErrorComplete().block(WAIT);
        }
    }

    private CorralClient connect(String connectString) {
        CorralClient client = CorralClient.connect(connectString).block(WAIT);
        clients.add(client);
        return client;
    }

    @Test
    void everyCommittedChangeUnderTheSubtreeArrivesOnceInZxidOrderAcrossKillsPausesAndMoves() throws Exception {
        ProcessCluster cluster = clusters.track(ProcessCluster.builder(dir).participants(3).build()).start();
        cluster.awaitLeader();
        Random random = new Random(SEED); // the writes (how many fit in a pause depends on time)
        Random schedule = new Random(SEED); // the faults, the same for a seed on any machine
        CorralClient writer = connect(cluster.connectString());
        long start = writer.create("/prop", new byte[0]).block(WAIT).stat().czxid();

        CorralClient reader = connect(cluster.connectString());
        List<Change> received = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failed = Collections.synchronizedList(new ArrayList<>());
        Disposable stream = reader.watch("/prop", WatchMode.SUBTREE, start)
                .subscribe(received::add, failed::add);
        List<ConnectionState> readerStates = Collections.synchronizedList(new ArrayList<>());
        Disposable states = reader.states().subscribe(readerStates::add);

        // each kind and each victim once first, paired in a seeded order, then seeded draws
        List<Kind> kinds = new ArrayList<>(List.of(Kind.values()));
        List<Victim> victims = new ArrayList<>(List.of(Victim.values()));
        Collections.shuffle(kinds, schedule);
        Collections.shuffle(victims, schedule);
        List<String> steps = new ArrayList<>();
        int moves = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Kind kind = round < kinds.size() ? kinds.get(round) : Kind.values()[schedule.nextInt(Kind.values().length)];
            Victim who = round < victims.size() ? victims.get(round)
                    : Victim.values()[schedule.nextInt(Victim.values().length)];
            int any = cluster.ids().get(schedule.nextInt(cluster.ids().size()));
            int readersServer = serverOf(cluster, reader.sessionId());
            int victim = switch (who) {
                case LEADER -> cluster.awaitLeader();
                case SUBSCRIBERS_SERVER -> readersServer;
                case ANY -> any;
            };
            int statesBefore = readerStates.size();
            writeRandomly(writer, random, WRITES_PER_ROUND / 2);
            long faultStart = System.nanoTime();
            switch (kind) {
                case KILL -> cluster.kill9(victim);
                case STOP -> cluster.terminate(victim);
                case PAUSE -> cluster.pause(victim);
            }
            cluster.awaitLeader(); // the two others elect around the victim (or keep their leader)
            writeRandomly(writer, random, WRITES_PER_ROUND / 2);
            if (kind == Kind.PAUSE) {
                // frozen past the session timeout: its sessions are the leader's to expire, its clients move
                long frozenFor = reader.sessionTimeout().toNanos() + Duration.ofMillis(200).toNanos();
                while (System.nanoTime() - faultStart < frozenFor) {
                    writeRandomly(writer, random, 1);
                }
            }
            if (victim == readersServer) {
                try {
                    await("the subscriber moved off server " + victim).atMost(WAIT).pollInterval(Duration.ofMillis(20))
                            .until(() -> readerStates.subList(statesBefore, readerStates.size())
                                    .contains(ConnectionState.RECONNECTED));
                } catch (ConditionTimeoutException e) {
                    throw new AssertionError(e.getMessage() + "; after " + steps + " " + kind + " server " + victim
                            + ", the subscriber's states since: " + readerStates.subList(statesBefore,
                            readerStates.size()) + ", its stream's errors: " + failed, e);
                }
                moves++;
            }
            switch (kind) {
                case KILL, STOP -> cluster.restart(victim);
                case PAUSE -> cluster.resume(victim);
            }
            cluster.awaitLeader();
            steps.add(kind + " server " + victim + (victim == readersServer ? " (the subscriber's)" : ""));
        }
        long last = writer.setData("/prop", "end".getBytes(StandardCharsets.UTF_8)).block(WAIT).mzxid();
        await().atMost(WAIT).until(() -> !failed.isEmpty()
                || !received.isEmpty() && received.get(received.size() - 1).zxid() >= last);
        stream.dispose();
        states.dispose();
        System.out.println("stream property, seed " + SEED + ": " + steps + "; " + received.size() + " changes");
        assertThat(failed).isEmpty();
        assertThat(readerStates).contains(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED);
        if (ROUNDS >= Victim.values().length) {
            assertThat(moves).as("rounds whose victim was the subscriber's server").isPositive();
        }

        int leader = cluster.awaitLeader();
        cluster.ids().forEach(cluster::terminate); // the log is read with no server writing it
        Path txnLog = cluster.server(leader).dir().resolve("data").resolve(DataDirectories.TXN_LOG);
        List<String> committed = committedChanges(txnLog, start, last);
        assertThat(committed).hasSizeGreaterThan(ROUNDS * WRITES_PER_ROUND / 4);
        assertThat(received).extracting(ResumableStreamEnsembleTest::describe).containsExactlyElementsOf(committed);
    }

    /**
     * The member whose {@code cons} lists the session, once only one does: a member the client has just left (one
     * resumed after a pause, say) may list its connection until it sees it closed, and taking that member for the
     * subscriber's would wait for a move that never comes.
     */
    private static int serverOf(ProcessCluster cluster, long sessionId) {
        String sid = ",sid=0x" + Long.toHexString(sessionId) + ",";
        List<Integer> listing = await("one member serving session 0x" + Long.toHexString(sessionId)).atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> cluster.ids().stream().filter(id -> {
                    String cons = cluster.fourLetterWord(id, "cons");
                    return cons != null && cons.contains(sid);
                }).toList(), ids -> ids.size() == 1);
        return listing.get(0);
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
