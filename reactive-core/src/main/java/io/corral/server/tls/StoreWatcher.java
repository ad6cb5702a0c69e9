package io.corral.server.tls;

import io.corral.server.config.TlsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Certificate rotation: checks the key and trust store files' size and modification time (on a thread of its own,
 * never an event loop) and, when one changed, has the contexts rebuilt from them. Material that does not load keeps
 * the old contexts with a WARN naming the file; the next change is tried again.
 */
final class StoreWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreWatcher.class);
    static final long PERIOD_MS = 500;

    /** Builds and installs new contexts from the files; throws (a ConfigException) when they cannot be used. */
    private final Runnable reload;
    private final List<Path> files = new ArrayList<>();
    private final ScheduledExecutorService timer;
    private List<String> stamps;

    private StoreWatcher(TlsConfig.Settings settings, Runnable reload) {
        this.reload = reload;
        files.add(settings.keyStore().location());
        if (settings.trustStore() != null) {
            files.add(settings.trustStore().location());
        }
        stamps = stamps();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "corral-tls-watch");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    static StoreWatcher watch(TlsConfig.Settings settings, Runnable reload) {
        return new StoreWatcher(settings, reload);
    }

    private void check() {
        List<String> now = stamps();
        if (Objects.equals(now, stamps)) {
            return;
        }
        stamps = now;
        try {
            reload.run();
            log.info("TLS key material reloaded from {}: new connections use it", files);
        } catch (RuntimeException e) {
            log.warn("TLS key material changed but cannot be used; keeping the previous one: {}", e.getMessage());
        }
    }

    private List<String> stamps() {
        List<String> result = new ArrayList<>(files.size());
        for (Path file : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                result.add(a.size() + "@" + a.lastModifiedTime() + "#" + a.fileKey());
            } catch (IOException e) {
                result.add("missing");
            }
        }
        return result;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
