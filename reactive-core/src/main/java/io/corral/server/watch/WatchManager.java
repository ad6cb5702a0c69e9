package io.corral.server.watch;

import io.corral.protocol.EventType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Who watches which path, and who an event reaches. Generic in the watcher (a connection) so that it holds no
 * I/O: {@link #trigger} names the watchers to notify and the caller delivers. One event per watcher per trigger,
 * however many of its watches match, as in ZooKeeper. Owned by the sequencer thread.
 */
public final class WatchManager<W> {
    private final Map<WatchKind, Map<String, Set<W>>> byKind = new EnumMap<>(WatchKind.class);
    /** Per watcher: path -> bit set of kinds, to clean up on disconnect and answer checkWatches. */
    private final Map<W, Map<String, Integer>> byWatcher = new HashMap<>();
    private int recursiveCount;

    public WatchManager() {
        for (WatchKind kind : WatchKind.values()) {
            byKind.put(kind, new HashMap<>());
        }
    }

    public void add(String path, WatchKind kind, W watcher) {
        if (byKind.get(kind).computeIfAbsent(path, p -> new LinkedHashSet<>(2)).add(watcher)) {
            byWatcher.computeIfAbsent(watcher, w -> new HashMap<>()).merge(path, kind.bit, (a, b) -> a | b);
            if (kind == WatchKind.RECURSIVE) {
                recursiveCount++;
            }
        }
    }

    /** Whether no watch of any kind is set: a trigger would reach no one. */
    public boolean isEmpty() {
        return byWatcher.isEmpty();
    }

    /** Whether the watcher has a watch on path of one of the kinds in the bit set. */
    public boolean has(String path, int kindBits, W watcher) {
        Map<String, Integer> paths = byWatcher.get(watcher);
        Integer bits = paths == null ? null : paths.get(path);
        return bits != null && (bits & kindBits) != 0;
    }

    /** Removes the watcher's watches on path of the kinds in the bit set; returns whether any was removed. */
    public boolean remove(String path, int kindBits, W watcher) {
        boolean removed = false;
        for (WatchKind kind : WatchKind.values()) {
            if ((kindBits & kind.bit) != 0) {
                removed |= removeOne(path, kind, watcher);
            }
        }
        return removed;
    }

    /** Drops every watch of a watcher (its connection closed). */
    public void removeAll(W watcher) {
        Map<String, Integer> paths = byWatcher.get(watcher);
        if (paths == null) {
            return;
        }
        for (Map.Entry<String, Integer> e : new ArrayList<>(paths.entrySet())) {
            remove(e.getKey(), e.getValue(), watcher);
        }
        byWatcher.remove(watcher);
    }

    private boolean removeOne(String path, WatchKind kind, W watcher) {
        Map<String, Set<W>> table = byKind.get(kind);
        Set<W> watchers = table.get(path);
        if (watchers == null || !watchers.remove(watcher)) {
            return false;
        }
        if (watchers.isEmpty()) {
            table.remove(path);
        }
        if (kind == WatchKind.RECURSIVE) {
            recursiveCount--;
        }
        forget(watcher, path, kind);
        return true;
    }

    /** Clears one kind from the watcher's index entry for path. */
    private void forget(W watcher, String path, WatchKind kind) {
        Map<String, Integer> paths = byWatcher.get(watcher);
        if (paths == null) {
            return;
        }
        int bits = paths.getOrDefault(path, 0) & ~kind.bit;
        if (bits == 0) {
            paths.remove(path);
            if (paths.isEmpty()) {
                byWatcher.remove(watcher);
            }
        } else {
            paths.put(path, bits);
        }
    }

    /**
     * The watchers an event on path reaches, each once; one-shot watches that match are consumed.
     *
     * @param eventType NODE_CREATED, NODE_DELETED, NODE_DATA_CHANGED or NODE_CHILDREN_CHANGED
     */
    public void trigger(String path, int eventType, Consumer<W> deliver) {
        Set<W> reached = null;
        switch (eventType) {
            case EventType.NODE_CREATED, EventType.NODE_DATA_CHANGED -> {
                reached = fireOneShot(path, WatchKind.DATA, reached);
                reached = collect(path, WatchKind.PERSISTENT, reached);
                reached = collectRecursive(path, reached);
            }
            case EventType.NODE_DELETED -> {
                reached = fireOneShot(path, WatchKind.DATA, reached);
                reached = fireOneShot(path, WatchKind.CHILD, reached);
                reached = collect(path, WatchKind.PERSISTENT, reached);
                reached = collectRecursive(path, reached);
            }
            case EventType.NODE_CHILDREN_CHANGED -> {
                reached = fireOneShot(path, WatchKind.CHILD, reached);
                reached = collect(path, WatchKind.PERSISTENT, reached);
            }
            default -> throw new IllegalArgumentException("not a node event: " + eventType);
        }
        if (reached != null) {
            reached.forEach(deliver);
        }
    }

    private Set<W> fireOneShot(String path, WatchKind kind, Set<W> reached) {
        Set<W> watchers = byKind.get(kind).remove(path);
        if (watchers == null) {
            return reached;
        }
        for (W watcher : watchers) {
            forget(watcher, path, kind);
        }
        return addAll(reached, watchers);
    }

    private Set<W> collect(String path, WatchKind kind, Set<W> reached) {
        Set<W> watchers = byKind.get(kind).get(path);
        return watchers == null ? reached : addAll(reached, watchers);
    }

    private Set<W> collectRecursive(String path, Set<W> reached) {
        if (recursiveCount == 0) {
            return reached;
        }
        String current = path;
        while (true) {
            reached = collect(current, WatchKind.RECURSIVE, reached);
            if (current.equals("/")) {
                return reached;
            }
            int slash = current.lastIndexOf('/');
            current = slash == 0 ? "/" : current.substring(0, slash);
        }
    }

    private Set<W> addAll(Set<W> reached, Set<W> watchers) {
        if (reached == null) {
            reached = new LinkedHashSet<>(Math.max(4, watchers.size() * 2));
        }
        reached.addAll(watchers);
        return reached;
    }

    /** Paths a watcher watches, for the wchc four-letter word. */
    public Set<String> pathsOf(W watcher) {
        Map<String, Integer> paths = byWatcher.get(watcher);
        return paths == null ? Collections.emptySet() : Collections.unmodifiableSet(paths.keySet());
    }

    /** Watchers per watched path, for the wchp four-letter word. */
    public Map<String, Set<W>> watchersByPath() {
        Map<String, Set<W>> result = new HashMap<>();
        byKind.values().forEach(table -> table.forEach(
                (path, watchers) -> result.computeIfAbsent(path, p -> new LinkedHashSet<>()).addAll(watchers)));
        return result;
    }

    /**
     * Watchers per path of the watches ZooKeeper keeps in its data-watch table (getData/exists and the persistent
     * kinds; not getChildren's): what its wchs, wchc and wchp report.
     */
    public Map<String, Set<W>> dataWatchersByPath() {
        Map<String, Set<W>> result = new HashMap<>();
        for (WatchKind kind : List.of(WatchKind.DATA, WatchKind.PERSISTENT, WatchKind.RECURSIVE)) {
            byKind.get(kind).forEach(
                    (path, watchers) -> result.computeIfAbsent(path, p -> new LinkedHashSet<>()).addAll(watchers));
        }
        return result;
    }

    public int watcherCount() {
        return byWatcher.size();
    }

    public int pathCount() {
        return watchersByPath().size();
    }

    public int watchCount() {
        int count = 0;
        for (Map<String, Set<W>> table : byKind.values()) {
            for (Set<W> watchers : table.values()) {
                count += watchers.size();
            }
        }
        return count;
    }

    public List<W> watchers() {
        return new ArrayList<>(byWatcher.keySet());
    }
}
