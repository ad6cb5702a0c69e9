package io.corral.server.config;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** Config tests' files: a minimal valid zoo.cfg (a dataDir) plus the given key/value pairs, parsed. */
final class ConfigMaps {
    private ConfigMaps() {
    }

    static ServerConfig parse(String... keyValues) {
        Map<String, String> keys = new HashMap<>();
        keys.put("dataDir", "/var/corral");
        for (int i = 0; i < keyValues.length; i += 2) {
            keys.put(keyValues[i], keyValues[i + 1]);
        }
        return ServerConfig.parse(keys);
    }

    /** {@code base} followed by {@code more}. */
    static String[] with(String[] base, String... more) {
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /** The lines {@code source}'s logger logs while {@code action} runs. */
    static List<ILoggingEvent> logged(Class<?> source, Runnable action) {
        Logger logger = (Logger) LoggerFactory.getLogger(source);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            action.run();
        } finally {
            logger.detachAppender(lines);
        }
        return lines.list;
    }
}
