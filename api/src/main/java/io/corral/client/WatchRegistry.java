package io.corral.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.corral.protocol.EventType;
import io.corral.protocol.SetWatchesRequest;

/**
 * The client's side of its watches, keyed by server path: one-shot data, exist and child watches, and the listeners
 * of persistent and persistent-recursive watches. Routes each notification to every watch it concerns (the server
 * sends one event per path and change, however many watches match) and lists everything for setWatches2 after a
 * reconnect. Actor-confined.
 */
final class WatchRegistry {
    private final Chroot chroot;
    private final Map<String, Set<OneShotWatch>> data = new HashMap<>();
    private final Map<String, Set<OneShotWatch>> exist = new HashMap<>();
    private final Map<String, Set<OneShotWatch>> child = new HashMap<>();
    private final Map<String, List<PersistentListener>> persistent = new HashMap<>();
    private final Map<String, List<PersistentListener>> recursive = new HashMap<>();

    WatchRegistry(Chroot chroot) {
        this.chroot = chroot;
    }

    void add(OneShotWatch.Kind kind, OneShotWatch watch) {
        Map<String, Set<OneShotWatch>> map = switch (kind) {
            case DATA -> data;
            case EXIST -> exist;
            case CHILD -> child;
        };
        map.computeIfAbsent(watch.serverPath, p -> new LinkedHashSet<>()).add(watch);
    }

    void remove(OneShotWatch watch) {
        removeFrom(data, watch);
        removeFrom(exist, watch);
        removeFrom(child, watch);
    }

    private static void removeFrom(Map<String, Set<OneShotWatch>> map, OneShotWatch watch) {
        Set<OneShotWatch> set = map.get(watch.serverPath);
        if (set != null && set.remove(watch) && set.isEmpty()) {
            map.remove(watch.serverPath);
        }
    }

    /** Adds a listener; true when it is the first for its path and kind (the server watch must be added). */
    boolean addListener(PersistentListener listener) {
        List<PersistentListener> list = listeners(listener.mode).computeIfAbsent(listener.serverPath,
                p -> new ArrayList<>());
        list.add(listener);
        return list.size() == 1;
    }

    /** Removes a listener; true when it was the last for its path and kind (the server watch may go). */
    boolean removeListener(PersistentListener listener) {
        Map<String, List<PersistentListener>> map = listeners(listener.mode);
        List<PersistentListener> list = map.get(listener.serverPath);
        if (list == null || !list.remove(listener)) {
            return false;
        }
        if (list.isEmpty()) {
            map.remove(listener.serverPath);
            return true;
        }
        return false;
    }

    private Map<String, List<PersistentListener>> listeners(WatchMode mode) {
        return mode.recursive() ? recursive : persistent;
    }

    /** Delivers one notification (server path) to every watch it concerns; one-shot watches are consumed. */
    void dispatch(int type, String serverPath) {
        WatchEvent.Type kind = WatchEvent.Type.fromCode(type);
        if (kind == null || serverPath == null) {
            return;
        }
        WatchEvent event = new WatchEvent(kind, chroot.toClient(serverPath));
        switch (type) {
            case EventType.NODE_CREATED, EventType.NODE_DATA_CHANGED -> {
                fire(data, serverPath, event);
                fire(exist, serverPath, event);
            }
            case EventType.NODE_DELETED -> {
                fire(data, serverPath, event);
                fire(exist, serverPath, event);
                fire(child, serverPath, event);
            }
            case EventType.NODE_CHILDREN_CHANGED -> fire(child, serverPath, event);
            default -> {
                return;
            }
        }
        offer(persistent.get(serverPath), event);
        if (type != EventType.NODE_CHILDREN_CHANGED && !recursive.isEmpty()) {
            String p = serverPath;
            while (p != null) {
                offer(recursive.get(p), event);
                p = parent(p);
            }
        }
    }

    private static void fire(Map<String, Set<OneShotWatch>> map, String path, WatchEvent event) {
        Set<OneShotWatch> set = map.remove(path);
        if (set != null) {
            for (OneShotWatch w : set) {
                w.fire(event);
            }
        }
    }

    private static void offer(List<PersistentListener> list, WatchEvent event) {
        if (list != null) {
            for (PersistentListener l : List.copyOf(list)) {
                l.offer(event);
            }
        }
    }

    private static String parent(String path) {
        if (path.equals("/")) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    boolean isEmpty() {
        return data.isEmpty() && exist.isEmpty() && child.isEmpty() && persistent.isEmpty() && recursive.isEmpty();
    }

    /**
     * Everything to re-register after a reconnect, relative to lastZxidSeen, as setWatches2 requests of at most
     * {@link #SET_WATCHES_MAX_CHARS} characters of paths each (one longer path gets a request of its own); empty
     * when there is nothing.
     */
    List<SetWatchesRequest> resume(long lastZxid) {
        return resume(lastZxid, SET_WATCHES_MAX_CHARS);
    }

    /** ZooKeeper's client splits its setWatches at 128 KB of paths; a frame then stays far below jute.maxbuffer. */
    static final int SET_WATCHES_MAX_CHARS = 128 * 1024;

    List<SetWatchesRequest> resume(long lastZxid, int maxChars) {
        List<SetWatchesRequest> out = new ArrayList<>();
        if (isEmpty()) {
            return out;
        }
        List<List<String>> lists = List.of(List.copyOf(data.keySet()), List.copyOf(exist.keySet()),
                List.copyOf(child.keySet()), List.copyOf(persistent.keySet()), List.copyOf(recursive.keySet()));
        List<List<String>> chunk = emptyChunk();
        int chars = 0;
        for (int kind = 0; kind < lists.size(); kind++) {
            for (String path : lists.get(kind)) {
                if (chars > 0 && chars + path.length() > maxChars) {
                    out.add(request(lastZxid, chunk));
                    chunk = emptyChunk();
                    chars = 0;
                }
                chunk.get(kind).add(path);
                chars += path.length();
            }
        }
        out.add(request(lastZxid, chunk));
        return out;
    }

    private static List<List<String>> emptyChunk() {
        return List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    private static SetWatchesRequest request(long lastZxid, List<List<String>> chunk) {
        return new SetWatchesRequest(lastZxid, chunk.get(0), chunk.get(1), chunk.get(2), chunk.get(3), chunk.get(4),
                true);
    }

    /** Ends every watch: with the error, or normally when it is null. */
    void endAll(Throwable error) {
        for (Map<String, Set<OneShotWatch>> map : List.of(data, exist, child)) {
            for (Set<OneShotWatch> set : map.values()) {
                for (OneShotWatch w : set) {
                    if (error == null) {
                        w.complete();
                    } else {
                        w.fail(error);
                    }
                }
            }
            map.clear();
        }
        for (Map<String, List<PersistentListener>> map : List.of(persistent, recursive)) {
            for (List<PersistentListener> list : map.values()) {
                for (PersistentListener l : list) {
                    if (error == null) {
                        l.sink.complete();
                    } else {
                        l.sink.error(error);
                    }
                }
            }
            map.clear();
        }
    }
}
