package io.corral.protocol;

/** addWatch mode values. */
public final class AddWatchMode {
    public static final int PERSISTENT = 0;
    public static final int PERSISTENT_RECURSIVE = 1;

    private AddWatchMode() {
    }
}
