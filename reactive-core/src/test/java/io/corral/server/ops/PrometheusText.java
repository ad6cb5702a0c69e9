package io.corral.server.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Parses a Prometheus text exposition with the Prometheus project's own Python client
 * ({@code prometheus_client.parser}, Debian's python3-prometheus-client): what Prometheus accepts, not what a regex
 * in this test would.
 */
final class PrometheusText {
    private static final String PYTHON = "/usr/bin/python3"; // Debian's, which sees Debian's packages
    private static final String SCRIPT = String.join("\n",
            "import sys",
            "from prometheus_client.parser import text_string_to_metric_families",
            "for family in text_string_to_metric_families(sys.stdin.read()):",
            "    print('F', family.name, family.type, sep='\\t')",
            "    for s in family.samples:",
            "        labels = ','.join(k + '=' + v for k, v in sorted(s.labels.items()))",
            "        print('S', family.name, s.name, labels, repr(float(s.value)), sep='\\t')");

    /** A family: its type and its samples, "name{labels}" to value. */
    record Family(String type, Map<String, Double> samples) {
        double value() {
            if (samples.size() != 1) {
                throw new AssertionError("not a single sample: " + samples);
            }
            return samples.values().iterator().next();
        }
    }

    private PrometheusText() {
    }

    /** Python's repr of a float, in Java. */
    private static double number(String repr) {
        return switch (repr) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(repr);
        };
    }

    /** Whether the parser is installed (apt-get install python3-prometheus-client). */
    static boolean available() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import prometheus_client.parser").redirectErrorStream(true)
                    .start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Family name to family; an AssertionError with the parser's complaint if the text is not valid. */
    static Map<String, Family> parse(String exposition) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON, "-c", SCRIPT).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("Prometheus's parser refused the exposition:\n" + out + "\n---\n" + exposition);
        }
        Map<String, Family> families = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.split("\t", -1);
            if (f[0].equals("F")) {
                families.put(f[1], new Family(f[2], new LinkedHashMap<>()));
            } else if (f[0].equals("S")) {
                String key = f[3].isEmpty() ? f[2] : f[2] + "{" + f[3] + "}";
                Optional.ofNullable(families.get(f[1])).orElseThrow().samples().put(key, number(f[4]));
            }
        }
        return families;
    }
}
