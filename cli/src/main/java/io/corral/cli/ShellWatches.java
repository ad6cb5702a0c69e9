package io.corral.cli;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.corral.protocol.EventType;
import io.corral.protocol.WatcherType;
import reactor.core.Disposable;

/**
 * The shell's watches, as ZooKeeper's client keeps those of its default watcher: one-shot data, exist and child
 * watches, persistent and persistent-recursive ones, by path. A notification is printed once if it concerns any of
 * them, however many (one-shot ones are consumed); removewatches reports one "removed" event per kind of watch.
 *
 * <p>Each entry keeps the client registrations behind it (the subscription to a one-shot watch's change, a watch
 * stream), cancelled on removal so that the client forgets them too. Called from the client's event loop and from
 * the shell's thread; the short critical sections never wait for anything.
 */
final class ShellWatches {
    enum Kind { DATA, EXIST, CHILD, PERSISTENT, RECURSIVE }

    /** What removewatches took away: the events to report, and the client registrations to cancel. */
    record Removal(List<Integer> eventTypes, List<Disposable> registrations) {
        boolean isEmpty() {
            return eventTypes.isEmpty();
        }
    }

    private final Map<Kind, Map<String, List<Disposable>>> byKind = new EnumMap<>(Kind.class);

    ShellWatches() {
        for (Kind k : Kind.values()) {
            byKind.put(k, new HashMap<>());
        }
    }

    synchronized void add(Kind kind, String path, Disposable registration) {
        byKind.get(kind).computeIfAbsent(path, p -> new ArrayList<>()).add(registration);
    }

    /** True when the notification concerns a watch of the shell (so it is printed); consumes one-shot watches. */
    synchronized boolean dispatch(int type, String path) {
        if (path == null) {
            return false;
        }
        boolean hit = false;
        switch (type) {
            case EventType.NODE_CREATED, EventType.NODE_DATA_CHANGED -> {
                hit |= consume(Kind.DATA, path);
                hit |= consume(Kind.EXIST, path);
            }
            case EventType.NODE_DELETED -> {
                hit |= consume(Kind.DATA, path);
                hit |= consume(Kind.EXIST, path);
                hit |= consume(Kind.CHILD, path);
            }
            case EventType.NODE_CHILDREN_CHANGED -> hit |= consume(Kind.CHILD, path);
            default -> {
                return false;
            }
        }
        hit |= byKind.get(Kind.PERSISTENT).containsKey(path);
        if (type != EventType.NODE_CHILDREN_CHANGED) {
            for (String p = path; p != null && !hit; p = parent(p)) {
                hit = byKind.get(Kind.RECURSIVE).containsKey(p);
            }
        }
        return hit;
    }

    private boolean consume(Kind kind, String path) {
        return byKind.get(kind).remove(path) != null;
    }

    /** Takes away the watches of {@code watcherType} ({@link WatcherType}) on path. */
    synchronized Removal remove(String path, int watcherType) {
        Set<Integer> events = new LinkedHashSet<>();
        List<Disposable> registrations = new ArrayList<>();
        for (Kind kind : kindsOf(watcherType)) {
            List<Disposable> removed = byKind.get(kind).remove(path);
            if (removed != null) {
                events.add(removedEventOf(kind));
                registrations.addAll(removed);
            }
        }
        List<Integer> ordered = new ArrayList<>();
        for (int t : List.of(EventType.DATA_WATCH_REMOVED, EventType.CHILD_WATCH_REMOVED,
                EventType.PERSISTENT_WATCH_REMOVED)) {
            if (events.contains(t)) {
                ordered.add(t);
            }
        }
        return new Removal(ordered, registrations);
    }

    /** True when the shell holds a watch of {@code watcherType} on path. */
    synchronized boolean has(String path, int watcherType) {
        for (Kind kind : kindsOf(watcherType)) {
            if (byKind.get(kind).containsKey(path)) {
                return true;
            }
        }
        return false;
    }

    /** Forgets everything (the session ended, so did its watches). */
    synchronized void clear() {
        for (Map<String, List<Disposable>> m : byKind.values()) {
            m.clear();
        }
    }

    private static List<Kind> kindsOf(int watcherType) {
        return switch (watcherType) {
            case WatcherType.CHILDREN -> List.of(Kind.CHILD);
            case WatcherType.DATA -> List.of(Kind.DATA, Kind.EXIST);
            case WatcherType.PERSISTENT -> List.of(Kind.PERSISTENT);
            case WatcherType.PERSISTENT_RECURSIVE -> List.of(Kind.RECURSIVE);
            default -> List.of(Kind.values());
        };
    }

    private static int removedEventOf(Kind kind) {
        return switch (kind) {
            case DATA, EXIST -> EventType.DATA_WATCH_REMOVED;
            case CHILD -> EventType.CHILD_WATCH_REMOVED;
            case PERSISTENT, RECURSIVE -> EventType.PERSISTENT_WATCH_REMOVED;
        };
    }

    private static String parent(String path) {
        if (path.equals("/")) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        return slash == 0 ? "/" : path.substring(0, slash);
    }
}
