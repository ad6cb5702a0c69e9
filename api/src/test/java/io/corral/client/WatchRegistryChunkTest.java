package io.corral.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.corral.protocol.OpCode;
import io.corral.protocol.SetWatchesRequest;
import org.junit.jupiter.api.Test;

/** setWatches2 after a reconnect is split into requests of at most 128 K characters of paths, nothing lost. */
class WatchRegistryChunkTest {

    private static String path(String kind, int i) {
        return "/" + kind + "/" + "x".repeat(80) + "/" + i;
    }

    private static int chars(SetWatchesRequest r) {
        int n = 0;
        for (List<String> list : List.of(r.dataWatches(), r.existWatches(), r.childWatches(), r.persistentWatches(),
                r.persistentRecursiveWatches())) {
            for (String p : list) {
                n += p.length();
            }
        }
        return n;
    }

    private static List<String> all(List<SetWatchesRequest> chunks, Function<SetWatchesRequest, List<String>> list) {
        List<String> out = new ArrayList<>();
        chunks.forEach(c -> out.addAll(list.apply(c)));
        return out;
    }

    @Test
    void splitsAt128KCharactersOfPathsAndKeepsEveryWatch() {
        WatchRegistry registry = new WatchRegistry(Chroot.NONE);
        int n = 3000; // ~90 characters each: ~270 K per kind, over a megabyte in all
        List<String> data = new ArrayList<>();
        List<String> exist = new ArrayList<>();
        List<String> child = new ArrayList<>();
        List<String> persistent = new ArrayList<>();
        List<String> recursive = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            data.add(path("d", i));
            registry.add(OneShotWatch.Kind.DATA, new OneShotWatch(data.get(i)));
            exist.add(path("e", i));
            registry.add(OneShotWatch.Kind.EXIST, new OneShotWatch(exist.get(i)));
            child.add(path("c", i));
            registry.add(OneShotWatch.Kind.CHILD, new OneShotWatch(child.get(i)));
            persistent.add(path("p", i));
            registry.addListener(new PersistentListener(persistent.get(i), WatchMode.NODE, null, null));
            recursive.add(path("r", i));
            registry.addListener(new PersistentListener(recursive.get(i), WatchMode.SUBTREE, null, null));
        }

        List<SetWatchesRequest> chunks = registry.resume(42);

        int total = 5 * n * path("d", 0).length() + 5 * 10 * 4; // roughly; only a lower bound matters
        assertThat(chunks.size()).isGreaterThanOrEqualTo(total / WatchRegistry.SET_WATCHES_MAX_CHARS);
        for (SetWatchesRequest c : chunks) {
            assertThat(chars(c)).isLessThanOrEqualTo(WatchRegistry.SET_WATCHES_MAX_CHARS).isGreaterThan(0);
            assertThat(c.relativeZxid()).isEqualTo(42);
            assertThat(c.version2()).isTrue();
        }
        assertThat(all(chunks, SetWatchesRequest::dataWatches)).containsExactlyInAnyOrderElementsOf(data);
        assertThat(all(chunks, SetWatchesRequest::existWatches)).containsExactlyInAnyOrderElementsOf(exist);
        assertThat(all(chunks, SetWatchesRequest::childWatches)).containsExactlyInAnyOrderElementsOf(child);
        assertThat(all(chunks, SetWatchesRequest::persistentWatches)).containsExactlyInAnyOrderElementsOf(persistent);
        assertThat(all(chunks, SetWatchesRequest::persistentRecursiveWatches))
                .containsExactlyInAnyOrderElementsOf(recursive);
        // every chunk but the last is full: it could not take the next path
        for (int i = 0; i < chunks.size() - 1; i++) {
            assertThat(chars(chunks.get(i))).isGreaterThan(WatchRegistry.SET_WATCHES_MAX_CHARS - 100);
        }
        assertThat(OpCode.SET_WATCHES2).isEqualTo(105);
    }

    @Test
    void smallSetsGoInOneRequestAndNothingMeansNoRequest() {
        WatchRegistry registry = new WatchRegistry(Chroot.NONE);
        assertThat(registry.resume(1)).isEmpty();
        registry.add(OneShotWatch.Kind.DATA, new OneShotWatch("/a"));
        registry.addListener(new PersistentListener("/b", WatchMode.SUBTREE, null, null));
        List<SetWatchesRequest> chunks = registry.resume(7);
        assertThat(chunks).hasSize(1);
        assertThat(chunks.get(0).dataWatches()).containsExactly("/a");
        assertThat(chunks.get(0).persistentRecursiveWatches()).containsExactly("/b");
    }

    @Test
    void aPathLongerThanTheLimitGoesAlone() {
        WatchRegistry registry = new WatchRegistry(Chroot.NONE);
        registry.add(OneShotWatch.Kind.DATA, new OneShotWatch("/a"));
        registry.add(OneShotWatch.Kind.DATA, new OneShotWatch("/" + "y".repeat(30)));
        registry.add(OneShotWatch.Kind.DATA, new OneShotWatch("/b"));
        List<SetWatchesRequest> chunks = registry.resume(0, 10);
        assertThat(all(chunks, SetWatchesRequest::dataWatches)).hasSize(3);
        assertThat(chunks).allSatisfy(c -> assertThat(chars(c) <= 10 || c.dataWatches().size() == 1).isTrue());
    }
}
