package io.corral.client;

import io.corral.protocol.JuteInput;
import io.corral.protocol.StreamFrame;
import io.netty.util.collection.IntObjectHashMap;

import java.util.function.IntFunction;

/**
 * Routes the frames of resumable watch streams to their {@link ResumableWatch} by subscription id; on the client's
 * actor. Every subscription gets a new id, so a frame of one that ended finds no route and is dropped unread. The
 * frame is decoded by its route as it is read (no frame object per frame, no boxed id).
 */
final class StreamRoutes {
    private final IntObjectHashMap<StreamFrame.Reader<?>> routes = new IntObjectHashMap<>();
    private final IntFunction<StreamFrame.Reader<?>> lookup = routes::get;
    private int nextId = 1;

    int add(StreamFrame.Reader<?> route) {
        int id = nextId;
        nextId = nextId == Integer.MAX_VALUE ? 1 : nextId + 1;
        routes.put(id, route);
        return id;
    }

    void remove(int id) {
        routes.remove(id);
    }

    /** Reads a stream frame (after its reply header) into the route of its subscription. */
    void dispatch(JuteInput in, boolean withStat) {
        StreamFrame.read(in, withStat, lookup);
    }
}
