package io.corral.server.ensemble;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension that owns the clusters a test builds: when the test fails it prints the tail of every server's
 * log (while the temporary directory still exists), and after each test it closes them all, so no process outlives
 * its test even when the test body forgot to.
 *
 * <pre>{@code
 * @RegisterExtension final ProcessClusters clusters = new ProcessClusters();
 * @TempDir Path dir;
 * ... ProcessCluster cluster = clusters.track(ProcessCluster.builder(dir).participants(3).build()).start();
 * }</pre>
 */
public final class ProcessClusters implements AfterTestExecutionCallback, AfterEachCallback {

    private static final int LOG_LINES = 150;

    private final List<ProcessCluster> clusters = new ArrayList<>();

    public ProcessCluster track(ProcessCluster cluster) {
        synchronized (clusters) {
            clusters.add(cluster);
        }
        return cluster;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        context.getExecutionException().ifPresent(failure -> {
            for (ProcessCluster c : snapshot()) {
                System.out.println("===== " + context.getDisplayName() + " failed (" + failure + "); " + c
                        + " logs:\n" + c.logs(LOG_LINES));
            }
        });
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (ProcessCluster c : snapshot()) {
            c.close();
        }
        synchronized (clusters) {
            clusters.clear();
        }
    }

    private List<ProcessCluster> snapshot() {
        synchronized (clusters) {
            return List.copyOf(clusters);
        }
    }
}
