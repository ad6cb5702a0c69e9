package io.corral.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The single-letter options of one command, parsed the way zkCli's commons-cli parser does: options may come before,
 * between or after the arguments, flags may be grouped ({@code -sw}), a value follows its option ({@code -v 3} or
 * {@code -v3}), {@code --} ends the options; an unknown option or a missing value is an error with commons-cli's text.
 */
public final class Options {
    private record Spec(char name, boolean takesValue, String description) {
    }

    private final Map<Character, Spec> specs = new LinkedHashMap<>();
    /** words-long options written with one dash ({@code -add value}), as commons-cli matches them first */
    private final java.util.Set<String> longValued = new java.util.HashSet<>();

    public Options flag(char name, String description) {
        specs.put(name, new Spec(name, false, description));
        return this;
    }

    /** An option named by a word, with one dash, taking a value: zkCli's reconfig has {@code -add x}. */
    public Options longValued(String name) {
        longValued.add(name);
        return this;
    }

    public Options valued(char name, String description) {
        specs.put(name, new Spec(name, true, description));
        return this;
    }

    /** The parsed words: options with their values, and the remaining arguments (the command name first). */
    public static final class Parsed {
        private final Map<Character, String> options = new LinkedHashMap<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> longOptions = new LinkedHashMap<>();

        /** a word-long option given ({@link #longValued}) */
        public boolean has(String option) {
            return longOptions.containsKey(option);
        }

        public String value(String option) {
            return longOptions.get(option);
        }

        public boolean has(char option) {
            return options.containsKey(option);
        }

        public String value(char option) {
            return options.get(option);
        }

        /** The options given, in the order of their first appearance. */
        public List<Character> optionsInOrder() {
            return List.copyOf(options.keySet());
        }

        public List<String> args() {
            return args;
        }

        public String arg(int i) {
            return args.get(i);
        }
    }

    public Parsed parse(List<String> words) throws CliException {
        Parsed p = new Parsed();
        boolean optionsEnded = false;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (optionsEnded || !w.startsWith("-") || w.length() == 1) {
                p.args.add(w);
                continue;
            }
            if (w.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (w.startsWith("--")) {
                throw unrecognized(w);
            }
            if (longValued.contains(w.substring(1))) {
                if (i + 1 >= words.size()) {
                    throw new CliException("org.apache.commons.cli.MissingArgumentException: Missing argument for option: "
                            + w.substring(1));
                }
                p.longOptions.put(w.substring(1), words.get(++i));
                continue;
            }
            Spec first = specs.get(w.charAt(1));
            if (first == null) {
                throw unrecognized(w);
            }
            if (first.takesValue) {
                String value;
                if (w.length() > 2) {
                    value = w.substring(2);
                } else if (i + 1 < words.size() && isValue(words.get(i + 1))) {
                    value = words.get(++i);
                } else {
                    throw new CliException("org.apache.commons.cli.MissingArgumentException: Missing argument for option: "
                            + first.name);
                }
                p.options.put(first.name, value);
                continue;
            }
            if (w.length() > 2) { // grouped flags: every letter must be a known option
                for (int k = 1; k < w.length(); k++) {
                    Spec s = specs.get(w.charAt(k));
                    if (s == null) {
                        throw unrecognized(w);
                    }
                    if (s.takesValue) { // the rest of the word is its value
                        String rest = w.substring(k + 1);
                        if (rest.isEmpty()) {
                            if (i + 1 < words.size() && isValue(words.get(i + 1))) {
                                rest = words.get(++i);
                            } else {
                                throw new CliException(
                                        "org.apache.commons.cli.MissingArgumentException: Missing argument for option: "
                                                + s.name);
                            }
                        }
                        p.options.put(s.name, rest);
                        break;
                    }
                    p.options.put(s.name, null);
                }
                continue;
            }
            p.options.put(first.name, null);
        }
        return p;
    }

    private boolean isValue(String word) {
        if (!word.startsWith("-") || word.length() == 1) {
            return true;
        }
        try {
            Double.parseDouble(word);
            return true; // a negative number is a value
        } catch (NumberFormatException e) {
            return !specs.containsKey(word.charAt(1));
        }
    }

    private static CliException unrecognized(String word) {
        return new CliException("org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: " + word);
    }

    /** The option table zkCli appends to some usage messages (commons-cli's help layout). */
    public String table() {
        List<Spec> sorted = new ArrayList<>(specs.values());
        sorted.sort(Comparator.comparing(s -> String.valueOf(s.name), String.CASE_INSENSITIVE_ORDER));
        List<String> left = new ArrayList<>();
        int width = 0;
        for (Spec s : sorted) {
            String l = " -" + s.name + (s.takesValue ? " <arg>" : "");
            left.add(l);
            width = Math.max(width, l.length());
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sorted.size(); i++) {
            if (i > 0) {
                sb.append(System.lineSeparator());
            }
            sb.append(left.get(i)).append(" ".repeat(width - left.get(i).length() + 3))
                    .append(sorted.get(i).description);
        }
        return sb.append(System.lineSeparator()).toString();
    }
}
