package io.corral.log;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static io.corral.log.LogTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real crash: a child JVM appends and syncs, then dies (Runtime.halt) in the middle of writing an excerpt,
 * holding Chronicle's append lock and leaving an incomplete excerpt header behind.
 */
class CrashMidAppendTest {

    static final int HALTED = 77;

    @TempDir
    Path dir;

    @Test
    void aCrashMidAppendLosesNothingThatWasComplete() throws Exception {
        Path out = dir.resolve("child.out");
        Path logDir = dir.resolve("log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle.")) {
                cmd.add(arg);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CrashMidAppendTest.class.getName());
        cmd.add(logDir.toString());
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(() -> "child output:\n" + read(out)).isEqualTo(HALTED);

        AtomicLong clock = new AtomicLong(T0);
        try (TxnLog log = TxnLog.open(logDir, options(clock))) {
            assertThat(log.lastZxid()).isEqualTo(20);
            log.append(entry(21));
            log.sync();
        }
        try (TxnLog log = TxnLog.open(logDir, options(clock))) {
            assertThat(zxids(readAll(log, 0))).containsExactlyElementsOf(LongStream.rangeClosed(1, 21).boxed().toList());
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** The child: append and sync 1..20, then die half-way through writing one more excerpt. */
    public static void main(String[] args) {
        Path logDir = Path.of(args[0]);
        AtomicLong clock = new AtomicLong(T0);
        TxnLog log = TxnLog.open(logDir, options(clock));
        LongStream.rangeClosed(1, 20).forEach(z -> log.append(entry(z)));
        log.sync();
        SingleChronicleQueue raw = SingleChronicleQueueBuilder.binary(new File(args[0]))
                .rollCycle(LogRollCycle.FIVE_MINUTELY.chronicle()).timeProvider(clock::get).build();
        ExcerptAppender appender = raw.createAppender();
        DocumentContext dc = appender.writingDocument();
        byte[] encoded = new byte[EntryCodec.ENTRY_OVERHEAD + 100];
        int n = EntryCodec.encodeEntry(new LogEntry(21, 1, 1, 1, 1, new byte[100]), encoded);
        dc.wire().bytes().write(encoded, 0, n / 2);
        Runtime.getRuntime().halt(HALTED);
    }
}
