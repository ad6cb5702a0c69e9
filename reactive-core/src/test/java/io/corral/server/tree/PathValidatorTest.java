package io.corral.server.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.zookeeper.common.PathUtils;
import org.junit.jupiter.api.Test;

class PathValidatorTest {

    @Test
    void acceptsOrdinaryPaths() {
        for (String path : List.of("/", "/a", "/a/b", "/zookeeper/quota", "/.a", "/a..b", "/...", "/a.", "/a/b.c/..d",
                "/\u00e9t\u00e9", "/ space", "/\u00A0", "/\uF900", "/\uFFEF", "/a-0000000001")) {
            assertThat(PathValidator.whyInvalid(path)).as(path).isNull();
            assertThat(PathValidator.isValid(path)).as(path).isTrue();
        }
    }

    @Test
    void rejectsMalformedPaths() {
        List<String> invalid = new ArrayList<>();
        invalid.add(null);
        invalid.addAll(List.of("", "a", "a/b", "//", "/a/", "/a//b", "/.", "/..", "/a/.", "/a/../b", "/./a",
                "/a\u0000", "/a\u0001", "/\u001F", "/\u007F", "/\u0080", "/\u009F", "/\uD800", "/\uDFFF", "/\uE000",
                "/\uF8FF", "/\uFFF0", "/\uFFFF", "/\uD83D\uDE00"));
        for (String path : invalid) {
            assertThat(PathValidator.whyInvalid(path)).as(String.valueOf(path)).isNotNull();
            assertThat(PathValidator.isValid(path)).as(String.valueOf(path)).isFalse();
        }
    }

    @Test
    void agreesWithZooKeeperOnEveryShortPathOverSlashDotAndLetter() {
        char[] alphabet = {'/', '.', 'a'};
        int checked = 0;
        for (int length = 0; length <= 9; length++) {
            int combinations = (int) Math.pow(alphabet.length, length);
            for (int n = 0; n < combinations; n++) {
                char[] chars = new char[length];
                for (int i = 0, rest = n; i < length; i++, rest /= alphabet.length) {
                    chars[i] = alphabet[rest % alphabet.length];
                }
                assertAgreesWithZooKeeper(new String(chars));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(29_000);
    }

    @Test
    void agreesWithZooKeeperOnEveryUtf16CodeUnit() {
        for (int c = 0; c <= 0xFFFF; c++) {
            String ch = String.valueOf((char) c);
            assertAgreesWithZooKeeper("/" + ch);
            assertAgreesWithZooKeeper("/a/b" + ch + "c");
            assertAgreesWithZooKeeper(ch + "/a");
        }
    }

    @Test
    void agreesWithZooKeeperOnRandomPaths() {
        char[] alphabet = {'/', '/', '/', '.', '.', 'a', 'z', '0', ' ', '\u0000', '\u0001', '\u001F', '\u0020',
            '\u007E', '\u007F', '\u0080', '\u009F', '\u00A0', '\u00E9', '\u2028', '\uD7FF', '\uD800', '\uDBFF',
            '\uDC00', '\uDFFF', '\uE000', '\uF8FF', '\uF900', '\uFFEF', '\uFFF0', '\uFFFE', '\uFFFF'};
        Random random = new Random(7);
        for (int n = 0; n < 200_000; n++) {
            char[] chars = new char[random.nextInt(14)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = alphabet[random.nextInt(alphabet.length)];
            }
            if (chars.length > 0 && random.nextBoolean()) {
                chars[0] = '/'; // most interesting paths are absolute
            }
            assertAgreesWithZooKeeper(new String(chars));
        }
    }

    @Test
    void parentAndName() {
        assertThat(PathValidator.parent("/a/b")).isEqualTo("/a");
        assertThat(PathValidator.parent("/a/b/c")).isEqualTo("/a/b");
        assertThat(PathValidator.parent("/a")).isEqualTo("/");
        assertThat(PathValidator.parent("/")).isNull();
        assertThat(PathValidator.name("/a/b")).isEqualTo("b");
        assertThat(PathValidator.name("/a")).isEqualTo("a");
        assertThat(PathValidator.name("/")).isEmpty();
        assertThat(PathValidator.name("/p/seq-0000000003")).isEqualTo("seq-0000000003");
    }

    private static void assertAgreesWithZooKeeper(String path) {
        boolean zkValid;
        try {
            PathUtils.validatePath(path);
            zkValid = true;
        } catch (IllegalArgumentException e) {
            zkValid = false;
        }
        assertThat(PathValidator.isValid(path)).as("valid(%s)", escape(path)).isEqualTo(zkValid);
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04X", (int) c));
        }
        return out.append('"').toString();
    }
}
