package io.corral.cli;

import java.time.Duration;
import java.util.List;

import io.corral.client.KeeperErrorException;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Completes the first word with the shell's command names and a word starting with {@code /} with the children of
 * its parent znode (getChildren). Runs on the terminal's thread, which may wait briefly for the server.
 */
final class ZnodeCompleter implements Completer {
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(2);

    private final Shell shell;

    ZnodeCompleter(Shell shell) {
        this.shell = shell;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String word = line.word().substring(0, line.wordCursor());
        if (line.wordIndex() == 0) {
            for (String name : shell.commandNames()) {
                candidates.add(new Candidate(name));
            }
            return;
        }
        if (word.startsWith("/")) {
            candidates.addAll(pathCandidates(word));
        }
    }

    /** The children of the typed path's parent that extend it; a node with children completes to {@code path/}. */
    List<Candidate> pathCandidates(String typed) {
        Session session = shell.session();
        if (session == null || !session.alive()) {
            return List.of();
        }
        int slash = typed.lastIndexOf('/');
        String parent = slash == 0 ? "/" : typed.substring(0, slash);
        String prefix = typed.substring(slash + 1);
        try {
            var children = session.client.getChildren(parent).block(LOOKUP_TIMEOUT);
            String base = parent.equals("/") ? "/" : parent + "/";
            return children.names().stream().filter(n -> n.startsWith(prefix)).sorted()
                    .map(n -> new Candidate(base + n, base + n, null, null, null, null, true)).toList();
        } catch (KeeperErrorException | IllegalArgumentException | IllegalStateException e) {
            return List.of(); // nothing to offer: a missing parent, a bad path, no answer in time
        }
    }
}
