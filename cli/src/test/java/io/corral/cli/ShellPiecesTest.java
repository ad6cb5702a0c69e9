package io.corral.cli;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parsing pieces of the shell, on inputs the compatibility scripts do not reach. */
class ShellPiecesTest {

    @Test
    void quotedWordsKeepTheirSpacesAndLoseTheirQuotes() {
        assertThat(LineSplitter.split("  set /a \"two words\" 'and more'  ")).containsExactly("set", "/a",
                "two words", "and more");
        assertThat(LineSplitter.split("")).isEmpty();
    }

    @Test
    void optionsMayComeAnywhereAndTakeTheirValue() throws CliException {
        Options options = new Options().flag('s', "stat").valued('v', "version");
        Options.Parsed p = options.parse(List.of("set", "/a", "-v", "-1", "data", "-s"));
        assertThat(p.args()).containsExactly("set", "/a", "data");
        assertThat(p.value('v')).isEqualTo("-1");
        assertThat(p.has('s')).isTrue();
        assertThat(options.parse(List.of("set", "-sv3", "/a")).value('v')).isEqualTo("3");
        assertThat(options.parse(List.of("x", "--", "-s")).args()).containsExactly("x", "-s");
        assertThatThrownBy(() -> options.parse(List.of("set", "-v"))).hasMessage(
                "org.apache.commons.cli.MissingArgumentException: Missing argument for option: v");
        assertThatThrownBy(() -> options.parse(List.of("set", "-q"))).hasMessage(
                "org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -q");
    }

    @Test
    void pathRulesUseZooKeepersMessages() {
        assertThatThrownBy(() -> PathRules.validate("/a/../b")).hasMessage(
                "Invalid path string \"/a/../b\" caused by relative paths not allowed @4");
        assertThatThrownBy(() -> PathRules.validate("/a\u0001")).hasMessage(
                "Invalid path string \"/a\u0001\" caused by invalid character @2");
        PathRules.validate("/s/", true);
        PathRules.validate("/a/..b");
    }

    @Test
    void notificationsPrintOnceAndConsumeOneShotWatches() {
        ShellWatches w = new ShellWatches();
        w.add(ShellWatches.Kind.DATA, "/a", () -> { });
        w.add(ShellWatches.Kind.CHILD, "/a", () -> { });
        assertThat(w.dispatch(io.corral.protocol.EventType.NODE_DELETED, "/a")).isTrue();
        assertThat(w.dispatch(io.corral.protocol.EventType.NODE_DELETED, "/a")).isFalse();
        w.add(ShellWatches.Kind.RECURSIVE, "/r", () -> { });
        assertThat(w.dispatch(io.corral.protocol.EventType.NODE_CREATED, "/r/x/y")).isTrue();
        assertThat(w.dispatch(io.corral.protocol.EventType.NODE_CHILDREN_CHANGED, "/r/x")).isFalse();
        assertThat(w.dispatch(io.corral.protocol.EventType.NODE_CREATED, "/r/x/y")).isTrue(); // persistent
    }
}
