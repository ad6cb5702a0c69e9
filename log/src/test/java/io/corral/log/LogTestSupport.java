package io.corral.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

final class LogTestSupport {

    /** A fixed instant well inside a five-minute cycle (2026-01-01T00:01:00Z). */
    static final long T0 = 1767225660_000L;

    private LogTestSupport() {
    }

    static LogEntry entry(long zxid) {
        return new LogEntry(zxid, 0x1000 + zxid, (int) zxid, T0 + zxid, (int) (zxid % 20),
                ("txn-" + zxid).getBytes(StandardCharsets.UTF_8));
    }

    static LogOptions options(AtomicLong clock) {
        return new LogOptions(true, LogRollCycle.FIVE_MINUTELY, clock::get, LogOptions.DEFAULT_MAX_ENTRY_BYTES);
    }

    static List<LogEntry> readAll(TxnLog log, long from) {
        List<LogEntry> out = new ArrayList<>();
        try (CloseableIterator<LogEntry> it = log.readFrom(from)) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    static List<Long> zxids(List<LogEntry> entries) {
        return entries.stream().map(LogEntry::zxid).toList();
    }

    /** Where one excerpt's payload lies in its cycle file (the log must be closed). */
    record Excerpt(long index, Path file, long position, int length) {
    }

    static List<Excerpt> excerpts(Path dir) {
        List<Excerpt> out = new ArrayList<>();
        try (SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(dir).rollCycle(LogRollCycle.FIVE_MINUTELY.chronicle()).readOnly(true).build();
             ExcerptTailer t = q.createTailer()) {
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    out.add(new Excerpt(dc.index(), t.currentFile().toPath(), dc.wire().bytes().readPosition(),
                            (int) dc.wire().bytes().readRemaining()));
                }
            }
        }
        return out;
    }

    /**
     * Deletes the log's journal, as a log written before there was one: nothing then vouches that the files held
     * their last entry durably, and a torn last entry is taken for a crash mid-append.
     */
    static void forgetJournal(Path dir) throws IOException {
        java.nio.file.Files.delete(dir.resolve(SyncJournal.FILE));
    }

    /** Overwrites bytes of a file in place. */
    static void scribble(Path file, long position, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), position);
            ch.force(true);
        }
    }

    static ListAppender<ILoggingEvent> captureLogs(Class<?> type) {
        Logger logger = (Logger) LoggerFactory.getLogger(type);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        return appender;
    }

    static void stopCapture(Class<?> type, ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(type)).detachAppender(appender);
    }

    static List<String> warnings(ListAppender<ILoggingEvent> appender) {
        return appender.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }
}
