package io.corral.bench.jmh;

import io.corral.protocol.EventType;
import io.corral.server.watch.WatchKind;
import io.corral.server.watch.WatchManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Firing the watches of one path with 1, 1k and 100k watchers (connections) on it. Two shapes:
 * persistent watches (addWatch), which stay registered, so one invocation is one trigger; and one-shot data
 * watches (getData with watch), which a trigger consumes, so one invocation is the N re-registrations plus the
 * trigger, as a fan-out of clients that re-arm after every event. Time is per trigger.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class WatchManagerBenchmark {
    private static final String PATH = "/service/leader";

    @Param({"1", "1000", "100000"})
    public int watchers;

    /** Stand-ins for connections: identity-hashed, as the server's connections are. */
    private Object[] connections;
    private WatchManager<Object> persistent;
    private WatchManager<Object> oneShot;
    private long delivered;
    private final Consumer<Object> deliver = w -> delivered++;

    @Setup
    public void setup() {
        connections = new Object[watchers];
        persistent = new WatchManager<>();
        oneShot = new WatchManager<>();
        for (int i = 0; i < watchers; i++) {
            connections[i] = new Object();
            persistent.add(PATH, WatchKind.PERSISTENT, connections[i]);
        }
        // an unrelated watch on another path, so the tables are not trivially small
        persistent.add("/service", WatchKind.CHILD, new Object());
        oneShot.add("/service", WatchKind.CHILD, new Object());
    }

    @Benchmark
    public long triggerPersistent() {
        persistent.trigger(PATH, EventType.NODE_DATA_CHANGED, deliver);
        return delivered;
    }

    @Benchmark
    public long rearmAndTriggerOneShot() {
        for (Object connection : connections) {
            oneShot.add(PATH, WatchKind.DATA, connection);
        }
        oneShot.trigger(PATH, EventType.NODE_DATA_CHANGED, deliver);
        return delivered;
    }
}
