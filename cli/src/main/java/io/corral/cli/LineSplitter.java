package io.corral.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a typed line into words as zkCli does: whitespace separates, a word that starts with a single or double
 * quote runs to the matching quote and loses the quotes (no escapes).
 */
public final class LineSplitter {
    private static final Pattern WORD = Pattern.compile("\\s*([^\"']\\S*|\"[^\"]*\"|'[^']*')\\s*");

    private LineSplitter() {
    }

    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(line);
        while (m.find()) {
            String w = m.group(1);
            if (w.length() >= 2 && (w.charAt(0) == '"' || w.charAt(0) == '\'')
                    && w.charAt(w.length() - 1) == w.charAt(0)) {
                w = w.substring(1, w.length() - 1);
            }
            words.add(w);
        }
        return words;
    }
}
