package io.corral.server.quorum;

import java.util.PriorityQueue;
import java.util.function.LongSupplier;

/**
 * Simulated time and the events due in it, for {@link ShellSimulation}: one thread, no wall clock. Time is kept in
 * microseconds, so that a link can carry many messages in one millisecond; as a {@link LongSupplier} it is the
 * milliseconds a {@link ZabQuorum} reads for its ticks. Events due at the same time run in the order scheduled, so a
 * run replays exactly.
 */
final class SimClock implements LongSupplier {

    static final long MILLI = 1_000;

    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private long now;
    private long seq;

    /** microseconds since the simulation started */
    long now() {
        return now;
    }

    /** milliseconds, what the shell reads */
    @Override
    public long getAsLong() {
        return now / MILLI;
    }

    void schedule(long delayMicros, Runnable action) {
        events.add(new Event(now + Math.max(0, delayMicros), seq++, action));
    }

    /** runs every event due up to {@code time} (microseconds), then stands at {@code time} */
    void runUntil(long time) {
        while (!events.isEmpty() && events.peek().time <= time) {
            Event e = events.poll();
            now = e.time;
            e.action.run();
        }
        now = Math.max(now, time);
    }

    private record Event(long time, long seq, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
        }
    }
}
