package io.corral.bench.compare;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Summarises the jdk.ExecutionSample events of a JFR recording: samples per thread (numbered threads such as
 * corral-io-epoll-3 are grouped), and for each busy group the top frames (self time) and the methods most often on
 * the stack (inclusive). {@code java -cp benchmarks.jar io.corral.bench.compare.JfrTop recording.jfr [N]}
 */
public final class JfrTop {
    private JfrTop() {
    }

    private static final class Group {
        long samples;
        final Map<String, Long> self = new HashMap<>();
        final Map<String, Long> selfWithCallers = new HashMap<>();
        final Map<String, Long> inclusive = new HashMap<>();
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: JfrTop recording.jfr [top-N]");
            System.exit(2);
        }
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Map<String, Group> groups = new LinkedHashMap<>();
        long total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedThread thread = e.getThread("sampledThread");
            String name = thread == null || thread.getJavaName() == null ? "?" : thread.getJavaName();
            name = name.replaceAll("-\\d+$", "-N");
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            total++;
            Group g = groups.computeIfAbsent(name, k -> new Group());
            g.samples++;
            List<RecordedFrame> frames = stack.getFrames();
            g.self.merge(method(frames.get(0)), 1L, Long::sum);
            StringBuilder chain = new StringBuilder(method(frames.get(0)) + ":" + frames.get(0).getLineNumber());
            for (int i = 1; i < Math.min(3, frames.size()); i++) {
                chain.append("  <- ").append(method(frames.get(i))).append(':').append(frames.get(i).getLineNumber());
            }
            g.selfWithCallers.merge(chain.toString(), 1L, Long::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String m = method(f);
                if (seen.add(m)) {
                    g.inclusive.merge(m, 1L, Long::sum);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d execution samples%n%n", total);
        for (Map.Entry<String, Group> e : sorted(groups)) {
            System.out.printf(Locale.ROOT, "%6d %5.1f%%  %s%n", e.getValue().samples, 100.0 * e.getValue().samples / total,
                    e.getKey());
        }
        for (Map.Entry<String, Group> e : sorted(groups)) {
            Group g = e.getValue();
            if (g.samples < total / 20) {
                continue;
            }
            print("thread " + e.getKey() + ": top frames (self)", g.self, g.samples, top);
            print("thread " + e.getKey() + ": top frames with two callers", g.selfWithCallers, g.samples, top);
            print("thread " + e.getKey() + ": on the stack (inclusive)", g.inclusive, g.samples, top * 2);
        }
    }

    private static String method(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void print(String title, Map<String, Long> counts, long samples, int n) {
        System.out.printf(Locale.ROOT, "%n== %s (%d samples)%n", title, samples);
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .forEach(en -> System.out.printf(Locale.ROOT, "%6d %5.1f%%  %s%n", en.getValue(),
                        100.0 * en.getValue() / samples, en.getKey()));
    }

    private static List<Map.Entry<String, Group>> sorted(Map<String, Group> groups) {
        return groups.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().samples, a.getValue().samples)).toList();
    }
}
