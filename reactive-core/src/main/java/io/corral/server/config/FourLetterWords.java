package io.corral.server.config;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;

/** The four-letter words Corral knows and the parsing of {@code 4lw.commands.whitelist}. */
public final class FourLetterWords {

    /** every word Corral answers (the only list: the client port's decoder recognises these) */
    public static final List<String> KNOWN = List.of("ruok", "srvr", "stat", "mntr", "conf", "cons", "crst", "srst",
            "envi", "wchs", "wchc", "wchp", "dump", "dirs", "isro", "gtmk", "stmk", "hash",
            "xfer"); // xfer: Corral's own, leadership transfer

    /** ZooKeeper enables only srvr unless told otherwise: the other words leak too much to anyone who connects. */
    static final Set<String> DEFAULT = Set.of("srvr");

    private FourLetterWords() {
    }

    /** Parses a comma list; {@code *} means every known word. Unknown words are warned about and dropped. */
    static Set<String> parseWhitelist(String value, Logger log) {
        if (value == null) {
            return DEFAULT;
        }
        Set<String> requested = new LinkedHashSet<>();
        for (String entry : value.split(",")) {
            String word = entry.trim().toLowerCase(Locale.ROOT);
            if (word.equals("*")) {
                return Collections.unmodifiableSet(new LinkedHashSet<>(KNOWN));
            }
            if (word.isEmpty()) {
                continue;
            }
            if (KNOWN.contains(word)) {
                requested.add(word);
            } else {
                log.warn("Unknown four-letter word '{}' in 4lw.commands.whitelist ignored", word);
            }
        }
        // Known-word order, so asMap()/logs print the same set the same way every time.
        Set<String> ordered = new LinkedHashSet<>();
        KNOWN.stream().filter(requested::contains).forEach(ordered::add);
        return Collections.unmodifiableSet(ordered);
    }
}
