package io.corral.bench.jmh;

import io.corral.log.LogEntry;
import io.corral.log.LogOptions;
import io.corral.log.TxnLog;
import io.corral.protocol.OpCode;
import io.corral.server.txn.Txn;
import io.corral.server.txn.TxnCodec;
import org.apache.zookeeper.server.Request;
import org.apache.zookeeper.server.persistence.FileTxnLog;
import org.apache.zookeeper.txn.SetDataTxn;
import org.apache.zookeeper.txn.TxnHeader;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Appending 100-byte setData txns to the transaction log, a batch at a time, then one sync for the batch (group
 * commit): Corral's Chronicle Queue {@link TxnLog} side by side with Apache ZooKeeper 3.9.5's own
 * {@link FileTxnLog} ({@code append} per txn, {@code commit} per batch). The {@code txns} counter is the figure:
 * txns made durable per second. {@code sync=false} appends without syncing (forceSync=no on both).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
public class LogAppendBenchmark extends ChronicleFork {
    private static final String PATH = "/bench/node";

    @Param({"corral", "zookeeper"})
    public String log;

    @Param({"1", "16", "256"})
    public int batch;

    @Param({"true", "false"})
    public boolean sync;

    private Path dir;
    private TxnLog corral;
    private FileTxnLog zookeeper;
    private final byte[] data = new byte[100];
    private long zxid;

    /** Txns made durable (or appended, without sync): the figure to read. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Txns {
        public long txns;
    }

    @Setup(Level.Trial)
    public void open() throws IOException {
        Arrays.fill(data, (byte) 'x');
        dir = Files.createTempDirectory("corral-jmh-log");
        if (log.equals("corral")) {
            corral = TxnLog.open(dir, LogOptions.defaults().withForceSync(sync));
        } else {
            // read once by FileTxnLog's class initialiser: set before the class is first used in this fork
            System.setProperty("zookeeper.forceSync", sync ? "yes" : "no");
            zookeeper = new FileTxnLog(dir.toFile());
        }
    }

    @Benchmark
    public void appendBatch(Txns counter) throws IOException {
        long time = System.currentTimeMillis();
        if (corral != null) {
            for (int i = 0; i < batch; i++) {
                zxid++;
                byte[] body = TxnCodec.encode(new Txn.SetData(PATH, data, (int) zxid));
                corral.append(new LogEntry(zxid, 1, (int) zxid, time, OpCode.SET_DATA, body));
            }
            corral.sync();
        } else {
            for (int i = 0; i < batch; i++) {
                zxid++;
                TxnHeader header = new TxnHeader(1, (int) zxid, zxid, time, OpCode.SET_DATA);
                zookeeper.append(new Request(header, new SetDataTxn(PATH, data, (int) zxid), null));
            }
            zookeeper.commit();
        }
        counter.txns += batch;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        if (corral != null) {
            corral.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
