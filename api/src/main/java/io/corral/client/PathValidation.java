package io.corral.client;

/** ZooKeeper's path rules, checked before a request leaves the client. */
final class PathValidation {
    private PathValidation() {
    }

    static void validate(String path) {
        validate(path, false);
    }

    /** For a sequential create a trailing '/' is allowed (the server appends the suffix). */
    static void validate(String path, boolean sequential) {
        if (path == null) {
            throw new IllegalArgumentException("path must not be null");
        }
        validateFull(sequential ? path + "1" : path);
    }

    private static void validateFull(String path) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path must not be empty");
        }
        if (path.charAt(0) != '/') {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        if (path.length() == 1) {
            return;
        }
        if (path.charAt(path.length() - 1) == '/') {
            throw new IllegalArgumentException("path must not end with '/': " + path);
        }
        int segmentStart = 1;
        for (int i = 1; i <= path.length(); i++) {
            char c = i < path.length() ? path.charAt(i) : '/';
            if (c == '/') {
                String seg = path.substring(segmentStart, i);
                if (seg.isEmpty()) {
                    throw new IllegalArgumentException("empty segment in path: " + path);
                }
                if (seg.equals(".") || seg.equals("..")) {
                    throw new IllegalArgumentException("relative segment in path: " + path);
                }
                segmentStart = i + 1;
            } else if (c == 0 || (c > 0 && c < 0x1f + 1) || (c >= 0x7f && c <= 0x9f)
                    || (c >= 0xd800 && c <= 0xf8ff) || (c >= 0xfff0)) {
                throw new IllegalArgumentException("invalid character at " + i + " in path: " + path);
            }
        }
    }
}
