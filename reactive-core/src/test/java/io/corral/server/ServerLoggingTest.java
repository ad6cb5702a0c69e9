package io.corral.server;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import io.corral.net.LoopbackPorts;
import io.corral.server.childjvm.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ServerLoggingTest {
    private static final Duration START = Duration.ofSeconds(60);
    /** A line of the server's own format: time, level padded to 5, thread, logger, message. */
    private static final Pattern SERVER_LINE = Pattern.compile("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main\\] "
            + "io\\.corral\\.server\\.CorralServer - Recovered state .*$");

    @Test
    void aServerWithNoLogbackFileOnItsClassPathLogsThisWay(@TempDir Path dir) throws Exception {
        // the class path without the tests' classes (and their logback-test.xml), as bin/corral-server runs it
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
        int port = LoopbackPorts.reserve(1).get(0);
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, "tickTime=2000\ndataDir=" + dir.resolve("data") + "\nclientPort=" + port
                + "\nclientPortAddress=127.0.0.1\n4lw.commands.whitelist=ruok\n");
        Path log = dir.resolve("server.log");
        Process server = ChildJvm.launchServer(cfg, log, "128m", classPath);
        try {
            ChildJvm.awaitAnswering(server, port, START, "the server", () -> read(log));
            await("the server's start-up line in its output").atMost(START)
                    .until(() -> SERVER_LINE.matcher(read(log)).find());
        } finally {
            ChildJvm.kill(server, START);
        }
    }

    @Test
    void logsInfoToTheConsoleThroughAnAsyncAppenderThatNeverBlocks() {
        LoggerContext context = new LoggerContext();
        ServerLogging.install(context);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        Appender<ILoggingEvent> appender = root.getAppender("ASYNC");
        assertThat(appender).isInstanceOf(AsyncAppender.class);
        AsyncAppender async = (AsyncAppender) appender;
        assertThat(async.isStarted()).isTrue();
        assertThat(async.isNeverBlock()).isTrue();
        assertThat(async.getQueueSize()).isEqualTo(ServerLogging.QUEUE_SIZE);
        Appender<ILoggingEvent> console = async.getAppender("CONSOLE");
        assertThat(console).isInstanceOf(ConsoleAppender.class);
        assertThat(console.isStarted()).isTrue();
        PatternLayoutEncoder encoder = (PatternLayoutEncoder) ((ConsoleAppender<ILoggingEvent>) console).getEncoder();
        assertThat(encoder.getPattern()).isEqualTo(ServerLogging.PATTERN);
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("reactor").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.corral.server.Main").getEffectiveLevel()).isEqualTo(Level.INFO);
        context.stop();
    }

    @Test
    void logbackFindsItAsAService() {
        List<Class<?>> found = ServiceLoader.load(Configurator.class).stream()
                .<Class<?>>map(ServiceLoader.Provider::type).toList();
        assertThat(found).contains(ServerLogging.class);
    }

    @Test
    void stepsAsideForALogbackFileOnTheClassPath() throws Exception {
        // the tests' own logback-test.xml is on this class path: logback must read it, not this configuration
        try (InputStream testConfig = getClass().getClassLoader().getResourceAsStream("logback-test.xml")) {
            assertThat(testConfig).isNotNull();
            assertThat(new String(testConfig.readAllBytes(), StandardCharsets.UTF_8)).contains("<configuration");
        }
        assertThat(ServerLogging.aFileIsGiven()).isTrue();
        LoggerContext context = new LoggerContext();
        ServerLogging logging = new ServerLogging();
        logging.setContext(context);
        assertThat(logging.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC")).isNull();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
