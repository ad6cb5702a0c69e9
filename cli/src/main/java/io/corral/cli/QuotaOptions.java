package io.corral.cli;

import java.util.List;

import io.corral.protocol.QuotaStats;

/**
 * The option group of setquota and delquota: at most one of -n (soft count), -b (soft bytes), -N (hard count) and
 * -B (hard bytes), with commons-cli's messages when a second one is given or (setquota) none is.
 */
final class QuotaOptions {
    /** Each option letter with the quota figure it sets. */
    private static final List<Character> LETTERS = List.of('n', 'b', 'N', 'B');
    private static final List<String> FIGURES = List.of(QuotaStats.COUNT, QuotaStats.BYTES,
            QuotaStats.COUNT_HARD_LIMIT, QuotaStats.BYTE_HARD_LIMIT);
    private static final List<String> DESCRIPTIONS = List.of("num soft quota", "bytes soft quota", "num hard quota",
            "bytes hard quota");

    private QuotaOptions() {
    }

    /** The options table: valued for setquota, flags for delquota. */
    static Options options(boolean valued) {
        Options options = new Options();
        for (int i = 0; i < LETTERS.size(); i++) {
            if (valued) {
                options.valued(LETTERS.get(i), DESCRIPTIONS.get(i));
            } else {
                options.flag(LETTERS.get(i), DESCRIPTIONS.get(i));
            }
        }
        return options;
    }

    /** The one option of the group given, or null; refuses a second one as commons-cli does. */
    static Character selected(Options.Parsed p, boolean required) throws CliException {
        Character selected = null;
        for (char letter : p.optionsInOrder()) {
            if (!LETTERS.contains(letter)) {
                continue;
            }
            if (selected != null) {
                throw new CliException("org.apache.commons.cli.AlreadySelectedException: The option '" + letter
                        + "' was specified but an option from this group has already been selected: '" + selected
                        + "'");
            }
            selected = letter;
        }
        if (selected == null && required) {
            StringBuilder group = new StringBuilder();
            for (int i = 0; i < LETTERS.size(); i++) {
                group.append(i == 0 ? "[" : ", ").append('-').append(LETTERS.get(i)).append(' ')
                        .append(DESCRIPTIONS.get(i));
            }
            throw new CliException("org.apache.commons.cli.MissingOptionException: Missing required option: "
                    + group.append(']'));
        }
        return selected;
    }

    /** The quota figure an option letter stands for. */
    static String figure(char letter) {
        return FIGURES.get(LETTERS.indexOf(letter));
    }

    /** Whether the letter limits a count (an int in zkCli) rather than bytes (a long). */
    static boolean isCount(char letter) {
        return Character.toLowerCase(letter) == 'n';
    }
}
