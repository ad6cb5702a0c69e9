package io.corral.client;

/**
 * A {@link CorralClient#watch} stream's subscriber fell behind: {@code capacity} events were waiting for it
 * ({@link ClientOptions#watchBufferSize()}) when another one arrived. The stream delivers the events it held, then
 * fails with this error and its watch is removed; events after the overflow are not delivered. A subscriber that
 * can fall that far behind should re-read the state it watches after re-subscribing (or use
 * {@link CorralClient#watchData}/{@link CorralClient#watchChildren}, which hold only the latest value).
 */
public final class WatchBufferOverflowException extends RuntimeException {
    private final String path;
    private final int capacity;

    public WatchBufferOverflowException(String path, int capacity) {
        super("the subscriber of the watch stream on " + path + " fell " + capacity
                + " events behind (ClientOptions.watchBufferSize); the stream is ended", null, false, false);
        this.path = path;
        this.capacity = capacity;
    }

    /** The watched path (client view). */
    public String path() {
        return path;
    }

    /** The buffer size that was exceeded. */
    public int capacity() {
        return capacity;
    }
}
