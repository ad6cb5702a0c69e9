package io.corral.server.ops;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;

/** The four-letter words Corral knows (those of ZooKeeper 3.9), in one place, and the parsing of the whitelist. */
public final class FourLetterWordList {

    public static final List<String> KNOWN = List.of("ruok", "srvr", "stat", "mntr", "conf", "cons", "crst", "srst",
            "envi", "wchs", "wchc", "wchp", "dump", "dirs", "isro", "gtmk", "stmk", "hash",
            "xfer"); // xfer: Corral's own, leadership transfer

    /** ZooKeeper enables only srvr unless told otherwise: the other words leak too much to anyone who connects. */
    public static final Set<String> DEFAULT = Set.of("srvr");

    /** Words that a ZooKeeper server outside of a quorum refuses to answer. */
    static final Set<String> SERVING_ONLY = Set.of("srvr", "stat", "cons", "mntr", "wchs", "wchc", "wchp", "dump",
            "crst", "srst", "hash");

    private FourLetterWordList() {
    }

    /** Parses a comma list; {@code *} means every known word. Unknown words are warned about and dropped. */
    public static Set<String> parseWhitelist(String value, Logger log) {
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
