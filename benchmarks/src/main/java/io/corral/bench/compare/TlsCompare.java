package io.corral.bench.compare;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * TLS on the client port, in one run on this machine: Corral with the JDK's TLS, Corral with OpenSSL
 * (netty-tcnative's BoringSSL) and Apache ZooKeeper 3.9.5 with its Netty server factory (on its own Netty 4.1, from
 * {@code benchmarks/target/zookeeper-netty}), all with the same certificates (made here with keytool, EC P-256,
 * client certificates required). The same load client drives every server: Corral's reactive client with ZooKeeper's
 * {@code zookeeper.client.secure}/{@code zookeeper.ssl.*} properties, each run its own JVM. Measured: getData and
 * setData throughput (closed loop), p50/p99 of a 90% read mix at a fixed rate, and the TLS handshake rate (new
 * sessions per second, each a new connection, handshake and session). Writes its section of benchmarks/RESULTS.md
 * ({@link #SECTION}; Compare keeps it). Run it through benchmarks/tls-compare.sh; every process it starts is stopped
 * by pid, also on failure.
 */
public final class TlsCompare {
    static final ReportSection SECTION = new ReportSection("tls-compare", TlsCompare.class);
    private static final String PASSWORD = "corral-bench";

    /** One server set-up of the comparison: its title, kind and {@code ssl.sslProvider} (null: the default). */
    private record Target(String title, ServerKind kind, String provider) {
    }

    private static final List<Target> TARGETS = List.of(
            new Target("Corral, JDK TLS", ServerKind.CORRAL, "JDK"),
            new Target("Corral, OpenSSL", ServerKind.CORRAL, "OPENSSL"),
            new Target("ZooKeeper 3.9.5, Netty + JDK TLS", ServerKind.ZOOKEEPER, null));

    private final Path root;
    private final Path out;
    private final Path work;
    private final String command;
    private final double duration;
    private final double warmup;
    private final int clients;
    private final int inflight;
    private final double rate;
    private final ChildProcesses children;
    private final ServerLauncher launcher;
    private final LoadToolRun loadTool;
    private final List<String> notes = new ArrayList<>();
    /** target title -> measurement -> load-tool outcome. */
    private final Map<String, Map<String, LoadToolRun.Outcome>> results = new LinkedHashMap<>();
    /** target title -> bare TLS handshakes (connect, handshake, srvr, close). */
    private final Map<String, HandshakeRate.Result> handshakes = new LinkedHashMap<>();
    private HandshakeRate handshakeRate;

    private TlsCompare(Map<String, String> o) throws IOException {
        root = Path.of(o.getOrDefault("root", ".")).toAbsolutePath().normalize();
        out = root.resolve(o.getOrDefault("out", "benchmarks/RESULTS.md"));
        children = new ChildProcesses(o.containsKey("pidfile") ? Path.of(o.get("pidfile")) : null);
        command = o.getOrDefault("command", "benchmarks/tls-compare.sh");
        duration = Double.parseDouble(o.getOrDefault("duration", "5"));
        warmup = Double.parseDouble(o.getOrDefault("warmup", "2"));
        clients = Integer.parseInt(o.getOrDefault("clients", "4"));
        inflight = Integer.parseInt(o.getOrDefault("inflight", "16"));
        rate = Double.parseDouble(o.getOrDefault("rate", "2000"));
        work = WorkDirectory.create("corral-tls-compare-");
        launcher = new ServerLauncher(root, children, "1g", List.of(), TlsCompare.class.getName(), TlsCompare::log);
        loadTool = new LoadToolRun(root.resolve("benchmarks/target/benchmarks.jar"), children);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = DriverCli.options("tls-compare", args, Set.of("root", "out", "pidfile", "command",
                "duration", "warmup", "clients", "inflight", "rate"), Set.of());
        TlsCompare c = new TlsCompare(o);
        DriverCli.runThenExit("tls-compare", c.children, c::run);
    }

    private static void log(String line) {
        System.err.println(line);
    }

    private void run() throws Exception {
        launcher.requireJars("benchmarks/tls-compare.sh");
        String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String loadBefore = RunFacts.loadAverage();
        Path pki = Files.createDirectories(work.resolve("pki"));
        makeCertificates(pki);
        handshakeRate = new HandshakeRate(pki.resolve("client.p12"), pki.resolve("trust.p12"),
                PASSWORD.toCharArray());
        for (Target target : TARGETS) {
            results.put(target.title, measure(target, pki));
        }
        String loadAfter = RunFacts.loadAverage();
        SECTION.publish(out, SECTION.wrap(report(started, loadBefore, loadAfter)), loadTool,
                root.resolve("benchmarks/target/tls-compare-raw.jsonl"));
    }

    private Map<String, LoadToolRun.Outcome> measure(Target target, Path pki) throws Exception {
        String key = target.title.replaceAll("[^A-Za-z0-9]+", "-").toLowerCase(Locale.ROOT);
        List<Integer> ports = ServerLauncher.freePorts(2);
        List<String> tls = new ArrayList<>(List.of(
                "secureClientPort=" + ports.get(1), "secureClientPortAddress=127.0.0.1",
                "serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory",
                "authProvider.x509=org.apache.zookeeper.server.auth.X509AuthenticationProvider",
                "ssl.keyStore.location=" + pki.resolve("server.p12"), "ssl.keyStore.password=" + PASSWORD,
                "ssl.trustStore.location=" + pki.resolve("trust.p12"), "ssl.trustStore.password=" + PASSWORD,
                "ssl.clientAuth=need"));
        if (target.provider != null) {
            tls.add("ssl.sslProvider=" + target.provider);
        }
        LaunchedServer server = launcher.standalone(target.kind, work.resolve(key), ports.get(0),
                Duration.ofSeconds(90), tls, target.kind == ServerKind.ZOOKEEPER ? zooKeeperNettyClasspath() : null);
        Map<String, LoadToolRun.Outcome> byMeasure = new LinkedHashMap<>();
        try {
            String connect = "127.0.0.1:" + ports.get(1);
            List<String> secure = List.of("-Dzookeeper.client.secure=true",
                    "-Dzookeeper.ssl.keyStore.location=" + pki.resolve("client.p12"),
                    "-Dzookeeper.ssl.keyStore.password=" + PASSWORD,
                    "-Dzookeeper.ssl.trustStore.location=" + pki.resolve("trust.p12"),
                    "-Dzookeeper.ssl.trustStore.password=" + PASSWORD);
            String closed = "--clients " + clients + " --inflight " + inflight;
            Map<String, String> runs = new LinkedHashMap<>();
            runs.put("get", "--workload get " + closed);
            runs.put("set", "--workload set " + closed);
            runs.put("mixed", "--workload mixed --read-pct 90 --rate " + rate);
            runs.put("churn", "--workload churn --clients " + clients);
            for (Map.Entry<String, String> run : runs.entrySet()) {
                List<String> args = new ArrayList<>(List.of("--client", "corral", "--connect", connect,
                        "--duration", Double.toString(duration), "--warmup", Double.toString(warmup),
                        "--label", key + "-" + run.getKey(), "--server-pid", Long.toString(server.pid())));
                args.addAll(List.of(run.getValue().split(" ")));
                LoadToolRun.Outcome outcome = loadTool.run(secure, args,
                        work.resolve(key + "-" + run.getKey() + ".log"), (long) (duration + warmup) + 120);
                log(String.format(Locale.ROOT, "  %s %s: %s", target.title, run.getKey(),
                        outcome.ok() ? outcome.number("throughput") + "/s, p99 " + outcome.latencyMs("p99") + " ms"
                                : outcome.failure()));
                if (outcome.problem() != null) {
                    notes.add(target.title + ", " + run.getKey() + ": " + outcome.problem());
                }
                byMeasure.put(run.getKey(), outcome);
            }
            HandshakeRate.Result bare = handshakeRate.measure(ports.get(1), clients, warmup, duration);
            log(String.format(Locale.ROOT, "  %s handshakes: %.1f/s, p99 %.2f ms, %d failed", target.title,
                    bare.perSecond(), bare.p99Ms(), bare.failures()));
            if (bare.failures() > 0) {
                notes.add(target.title + ", bare handshakes: " + bare.failures() + " failed");
            }
            handshakes.put(target.title, bare);
        } finally {
            launcher.stopServer(server);
        }
        return byMeasure;
    }

    /** ZooKeeper 3.9.5 and its Netty 4.1, which the build copies to benchmarks/target/zookeeper-netty. */
    private String zooKeeperNettyClasspath() throws IOException {
        Path dir = root.resolve("benchmarks/target/zookeeper-netty");
        try (Stream<Path> jars = Files.list(dir)) {
            String cp = jars.filter(p -> p.toString().endsWith(".jar")).map(Path::toString).sorted()
                    .collect(Collectors.joining(File.pathSeparator));
            if (cp.isEmpty()) {
                throw new IllegalStateException("no jar in " + dir + ": build the benchmarks module (package)");
            }
            return cp;
        }
    }

    /** A CA, and a server and a client key pair it signed for 127.0.0.1, as PKCS12 stores, with keytool. */
    private void makeCertificates(Path dir) throws IOException, InterruptedException {
        keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=Corral bench CA", "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12");
        keytool(dir, "-exportcert", "-alias", "ca", "-rfc", "-file", "ca.pem", "-keystore", "ca.p12");
        keytool(dir, "-importcert", "-alias", "ca", "-file", "ca.pem", "-noprompt", "-keystore", "trust.p12");
        for (String name : List.of("server", "client")) {
            String store = name + ".p12";
            keytool(dir, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                    "CN=" + name + ",O=Corral bench", "-keystore", store);
            keytool(dir, "-certreq", "-alias", name, "-file", name + ".csr", "-keystore", store);
            keytool(dir, "-gencert", "-alias", "ca", "-infile", name + ".csr", "-outfile", name + ".crt", "-rfc",
                    "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", "ca.p12");
            keytool(dir, "-importcert", "-alias", "ca", "-file", "ca.pem", "-noprompt", "-keystore", store);
            keytool(dir, "-importcert", "-alias", name, "-file", name + ".crt", "-keystore", store);
        }
    }

    private void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ServerLauncher.javaTool("keytool")));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
        if (args[0].equals("-genkeypair")) {
            cmd.addAll(List.of("-keypass", PASSWORD));
        }
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }

    private String cell(String title, String measure, String what) {
        LoadToolRun.Outcome o = results.get(title).get(measure);
        if (o == null || !o.ok()) {
            return "failed";
        }
        Double v = what.equals("throughput") ? o.number("throughput") : o.latencyMs(what);
        if (v == null) {
            return "n/a";
        }
        return what.equals("throughput") ? String.format(Locale.ROOT, "%,.0f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    private String report(String started, String loadBefore, String loadAfter) {
        StringBuilder s = new StringBuilder("## TLS on the client port: Corral (JDK TLS and OpenSSL) vs ZooKeeper 3.9.5\n\n");
        s.append("Command: `").append(command).append("`, started ").append(started).append(", commit ")
                .append(RunFacts.commit(root)).append(", ").append(RunFacts.machine()).append(", ")
                .append(RunFacts.jdk()).append(".\n");
        s.append("Load average before ").append(loadBefore).append(", after ").append(loadAfter).append(".\n\n");
        String warning = RunFacts.busyWarning(loadBefore, loadAfter);
        if (warning != null && !warning.isBlank()) {
            s.append(warning.strip()).append("\n\n");
        }
        s.append(String.format(Locale.ROOT, "Each server alone on the machine in turn, both durable (forceSync=yes), "
                + "TLS-only port with client certificates required (EC P-256, TLSv1.3). The load client is Corral's "
                + "reactive client (JDK TLS) with ZooKeeper's `zookeeper.client.secure`/`zookeeper.ssl.*` "
                + "properties, one JVM per run: closed loop %d sessions x %d in flight, %.0f s after %.0f s warm-up; "
                + "the mix is 90%% getData / 10%% setData at %.0f requests/s (latency from each request's scheduled "
                + "time). Handshakes: %d threads of the driver (JDK TLS, a fresh client context each time, so "
                + "every handshake is a full one) connect, hand-shake, ask `srvr`, read the answer and close; new "
                + "sessions: %d load-tool threads each open a ZooKeeper session over TLS (TCP, handshake and the "
                + "session's durable createSession), closing it after.\n\n", clients, inflight, duration, warmup,
                rate, clients, clients));
        s.append("| measure |");
        TARGETS.forEach(t -> s.append(' ').append(t.title).append(" |"));
        s.append("\n|---|");
        TARGETS.forEach(t -> s.append("---:|"));
        s.append('\n');
        row(s, "getData, closed loop, requests/s", "get", "throughput");
        row(s, "getData, closed loop, p99 ms", "get", "p99");
        row(s, "setData, closed loop, requests/s", "set", "throughput");
        row(s, "setData, closed loop, p99 ms", "set", "p99");
        row(s, String.format(Locale.ROOT, "90%% reads at %.0f/s, p50 ms", rate), "mixed", "p50");
        row(s, String.format(Locale.ROOT, "90%% reads at %.0f/s, p99 ms", rate), "mixed", "p99");
        s.append("| TLS handshakes per second (connect, handshake, `srvr`, close) |");
        TARGETS.forEach(t -> s.append(String.format(Locale.ROOT, " %,.0f |", handshakes.get(t.title).perSecond())));
        s.append("\n| TLS handshake + `srvr`, p99 ms |");
        TARGETS.forEach(t -> s.append(String.format(Locale.ROOT, " %.2f |", handshakes.get(t.title).p99Ms())));
        s.append('\n');
        row(s, "new TLS sessions per second", "churn", "throughput");
        row(s, "new TLS session, p99 ms (open to connected)", "churn", "p99");
        s.append("\nZooKeeper's Netty server runs on Netty's NIO transport here: the epoll native jar of its Netty "
                + "(4.1.130) is not available on this machine, while Corral uses epoll. ZooKeeper is measured with the "
                + "JDK's TLS only (its OpenSSL needs a netty-tcnative built for its Netty).\n");
        for (String note : notes) {
            s.append("\n- ").append(note);
        }
        s.append("\nRaw results: `benchmarks/target/tls-compare-raw.jsonl`.\n");
        return s.toString();
    }

    private void row(StringBuilder s, String label, String measure, String what) {
        s.append("| ").append(label).append(" |");
        TARGETS.forEach(t -> s.append(' ').append(cell(t.title, measure, what)).append(" |"));
        s.append('\n');
    }
}
