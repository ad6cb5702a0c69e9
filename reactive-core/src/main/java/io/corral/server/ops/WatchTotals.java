package io.corral.server.ops;

import java.util.Map;
import java.util.Set;

/** The watch total wchs and watch_summary print: one per watching session and path. */
final class WatchTotals {
    private WatchTotals() {
    }

    static int total(Map<String, Set<Long>> watchesByPath) {
        return watchesByPath.values().stream().mapToInt(Set::size).sum();
    }
}
