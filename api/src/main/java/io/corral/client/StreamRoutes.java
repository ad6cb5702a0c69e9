package io.corral.client;

import io.corral.protocol.StreamFrame;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Routes the frames of resumable watch streams to their {@link ResumableWatch} by subscription id; on the client's
 * actor. Every subscription gets a new id, so a frame of one that ended finds no route and is dropped.
 */
final class StreamRoutes {
    private final Map<Integer, Consumer<StreamFrame>> routes = new HashMap<>();
    private int nextId = 1;

    int add(Consumer<StreamFrame> route) {
        int id = nextId;
        nextId = nextId == Integer.MAX_VALUE ? 1 : nextId + 1;
        routes.put(id, route);
        return id;
    }

    void remove(int id) {
        routes.remove(id);
    }

    void dispatch(StreamFrame frame) {
        Consumer<StreamFrame> route = routes.get(frame.subscription());
        if (route != null) {
            route.accept(frame);
        }
    }
}
