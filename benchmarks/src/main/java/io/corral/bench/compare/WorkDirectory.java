package io.corral.bench.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A driver's scratch directory under the system's temporary directory: the data directories, configurations and
 * logs of the servers of one run. Removed when the run succeeds, since a run with bulk loads leaves gigabytes
 * (15 GB after three rounds of {@code compare.sh}); kept when it fails, is stopped by a signal, or when
 * {@value #KEEP} is set, with its path printed.
 */
final class WorkDirectory {
    static final String KEEP = "CORRAL_BENCH_KEEP_WORK";
    private static final List<Path> CREATED = new ArrayList<>();

    private WorkDirectory() {
    }

    /** A new directory named {@code prefix} plus a random suffix, to be removed by {@link #finish}. */
    static synchronized Path create(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            CREATED.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** After the run (its servers stopped): removes the directories of a run that succeeded, else names them. */
    static synchronized void finish(boolean succeeded) {
        boolean keep = !succeeded || System.getenv(KEEP) != null;
        for (Path dir : CREATED) {
            if (keep) {
                System.err.println("work directory kept: " + dir);
                continue;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException | UncheckedIOException e) {
                System.err.println("work directory " + dir + " not removed: " + e);
            }
        }
        CREATED.clear();
    }
}
