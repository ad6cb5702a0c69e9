package io.corral.server.tree;

/** Znode path syntax: the rule create, setData, setACL and check enforce (ZK_WIRE §7.2), plus path arithmetic. */
public final class PathValidator {
    private PathValidator() {
    }

    public static boolean isValid(String path) {
        return whyInvalid(path) == null;
    }

    /** Why {@code path} is not a valid znode path, or null when it is. */
    public static String whyInvalid(String path) {
        if (path == null) {
            return "path is null";
        }
        if (path.isEmpty()) {
            return "path is empty";
        }
        if (path.charAt(0) != '/') {
            return "path must start with /";
        }
        if (path.length() == 1) {
            return null;
        }
        if (path.charAt(path.length() - 1) == '/') {
            return "path must not end with /";
        }
        int segmentStart = 1;
        for (int i = 1; i <= path.length(); i++) {
            char c = i < path.length() ? path.charAt(i) : '/'; // a virtual '/' closes the last segment
            if (c == '/') {
                String why = whyInvalidSegment(path, segmentStart, i);
                if (why != null) {
                    return why;
                }
                segmentStart = i + 1;
            } else if (isForbidden(c)) {
                return String.format("invalid character \\u%04X at index %d", (int) c, i);
            }
        }
        return null;
    }

    /** The parent of a valid path: {@code /a/b} → {@code /a}, {@code /a} → {@code /}; null for {@code /}. */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        if (path.length() == 1) {
            return null;
        }
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    /** The last segment of a valid path: {@code /a/b} → {@code b}; empty for {@code /}. */
    public static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String whyInvalidSegment(String path, int start, int end) {
        int length = end - start;
        if (length == 0) {
            return "empty segment at index " + start;
        }
        if (path.charAt(start) == '.' && (length == 1 || length == 2 && path.charAt(start + 1) == '.')) {
            return "relative segment at index " + start;
        }
        return null;
    }

    // Control characters, the surrogate and private-use ranges and the specials: all refused, so no path can hold
    // anything outside the Basic Multilingual Plane.
    private static boolean isForbidden(char c) {
        return c <= '\u001F'
                || c >= '\u007F' && c <= '\u009F'
                || c >= '\uD800' && c <= '\uF8FF'
                || c >= '\uFFF0';
    }
}
