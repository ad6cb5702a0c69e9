package io.corral.cli;

/** ZooKeeper's znode path rules, with the messages zkCli prints when a path breaks them. */
public final class PathRules {
    private PathRules() {
    }

    /** Throws IllegalArgumentException with zkCli's message when {@code path} is not a valid znode path. */
    public static void validate(String path, boolean sequential) {
        validate(sequential ? path + "1" : path);
    }

    public static void validate(String path) {
        if (path == null) {
            throw new IllegalArgumentException("Path cannot be null");
        }
        if (path.isEmpty()) {
            throw new IllegalArgumentException("Path length must be > 0");
        }
        if (path.charAt(0) != '/') {
            throw new IllegalArgumentException("Path must start with / character");
        }
        if (path.length() == 1) {
            return;
        }
        if (path.charAt(path.length() - 1) == '/') {
            throw new IllegalArgumentException("Path must not end with / character");
        }
        String reason = null;
        char last = '/';
        for (int i = 1; i < path.length(); last = path.charAt(i), i++) {
            char c = path.charAt(i);
            boolean segmentEnds = i + 1 == path.length() || path.charAt(i + 1) == '/';
            if (c == 0) {
                reason = "null character not allowed @" + i;
            } else if (c == '/' && last == '/') {
                reason = "empty node name specified @" + i;
            } else if (c == '.' && last == '.' && path.charAt(i - 2) == '/' && segmentEnds) {
                reason = "relative paths not allowed @" + i;
            } else if (c == '.' && last == '/' && segmentEnds) {
                reason = "relative paths not allowed @" + i;
            } else if (c <= 0x1f || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || c >= 0xfff0) {
                reason = "invalid character @" + i;
            }
            if (reason != null) {
                throw new IllegalArgumentException("Invalid path string \"" + path + "\" caused by " + reason);
            }
        }
    }
}
