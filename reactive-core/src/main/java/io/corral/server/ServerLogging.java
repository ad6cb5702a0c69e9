package io.corral.server;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The server's logging, set up in code (logback finds it as a service) rather than from a {@code logback.xml}:
 * reading and interpreting XML took about a tenth of a second of a server's start, before anything else could run.
 *
 * <p>Lines go to the console through an async appender that never blocks: a line written from an event loop or the
 * sequencer must not wait on the terminal. Netty and Reactor log warnings and errors only.
 *
 * <p>Any logback file still wins: {@code -Dlogback.configurationFile=...} (as {@code bin/corral-tool} and operators
 * pass one), or a {@code logback.xml} / {@code logback-test.xml} on the class path (tests, benchmarks, an application
 * embedding the server): then this steps aside and logback reads that file as usual.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class ServerLogging extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";
    static final int QUEUE_SIZE = 8192;

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (aFileIsGiven()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        install(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets the server's appenders and levels up in {@code context}. */
    static void install(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setEncoder(encoder);
        console.start();
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName("ASYNC");
        async.setQueueSize(QUEUE_SIZE);
        async.setNeverBlock(true);
        async.addAppender(console);
        async.start();
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("reactor").setLevel(Level.WARN);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(async);
    }

    /** A logback file the JVM was pointed at, or one on the class path, which logback then reads instead. */
    static boolean aFileIsGiven() {
        if (System.getProperty("logback.configurationFile") != null) {
            return true;
        }
        ClassLoader loader = ServerLogging.class.getClassLoader();
        return loader.getResource("logback-test.xml") != null || loader.getResource("logback.xml") != null;
    }
}
