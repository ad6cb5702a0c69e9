package io.corral.client;

/** The chroot suffix of a connect string: prefixed to outgoing paths, stripped from incoming ones. */
record Chroot(String prefix) {
    static final Chroot NONE = new Chroot("");

    static Chroot of(String path) {
        if (path.isEmpty() || path.equals("/")) {
            return NONE;
        }
        PathValidation.validate(path);
        return new Chroot(path);
    }

    /** Client path to server path. */
    String toServer(String clientPath) {
        if (prefix.isEmpty()) {
            return clientPath;
        }
        return clientPath.equals("/") ? prefix : prefix + clientPath;
    }

    /** Server path to client path; a path outside the chroot is returned unchanged. */
    String toClient(String serverPath) {
        if (prefix.isEmpty() || serverPath == null) {
            return serverPath;
        }
        if (serverPath.equals(prefix)) {
            return "/";
        }
        if (serverPath.startsWith(prefix) && serverPath.length() > prefix.length()
                && serverPath.charAt(prefix.length()) == '/') {
            return serverPath.substring(prefix.length());
        }
        return serverPath;
    }
}
