package io.corral.server.ensemble;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The verdict on a whole history: not linearizable as soon as one key is not; unknown when no key failed but the
 * search gave up on at least one.
 */
public record CheckResult(Verdict verdict, Map<String, KeyResult> keys) {

    public enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, UNKNOWN }

    /**
     * The verdict on one key.
     *
     * @param configurations how many (linearized set, state) configurations the search explored
     * @param explanation    empty when linearizable; otherwise where and why the search got stuck, or gave up
     */
    public record KeyResult(String key, Verdict verdict, int operations, long configurations, String explanation) {
    }

    public CheckResult {
        keys = Map.copyOf(keys);
    }

    static CheckResult of(List<KeyResult> results) {
        Verdict verdict = Verdict.LINEARIZABLE;
        for (KeyResult r : results) {
            if (r.verdict() == Verdict.NOT_LINEARIZABLE) {
                verdict = Verdict.NOT_LINEARIZABLE;
            } else if (r.verdict() == Verdict.UNKNOWN && verdict == Verdict.LINEARIZABLE) {
                verdict = Verdict.UNKNOWN;
            }
        }
        return new CheckResult(verdict, results.stream().collect(Collectors.toMap(KeyResult::key, r -> r)));
    }

    public boolean linearizable() {
        return verdict == Verdict.LINEARIZABLE;
    }

    /** The explanations of every key that is not linearizable or was not decided; empty if all are. */
    public String explanation() {
        return keys.values().stream()
                .filter(r -> r.verdict() != Verdict.LINEARIZABLE)
                .sorted((a, b) -> a.key().compareTo(b.key()))
                .map(KeyResult::explanation)
                .collect(Collectors.joining("\n\n"));
    }

    /** One line for logs: verdict, keys, operations and search effort. */
    public String summary() {
        return verdict + ": " + keys.size() + " keys, "
                + keys.values().stream().mapToInt(KeyResult::operations).sum() + " operations, "
                + keys.values().stream().mapToLong(KeyResult::configurations).sum() + " configurations searched";
    }
}
