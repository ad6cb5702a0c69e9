package io.corral.bench.compare;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The server's TLS handshake rate, without a session's durable write in the way: threads that each, in a loop,
 * open a connection to a TLS port, do a full handshake (a fresh client context every time, so nothing is resumed)
 * with a client certificate, ask {@code srvr} and read the answer to its end (so the server has checked the
 * certificate and served the connection), and close. Runs in the driver's JVM with the JDK's TLS.
 */
final class HandshakeRate {
    /** Handshakes per second and the latency of one connection (connect to answer read), in ms. */
    record Result(double perSecond, double p50Ms, double p99Ms, long failures) {
    }

    private final KeyManagerFactory keys;
    private final TrustManagerFactory trust;

    HandshakeRate(Path keyStore, Path trustStore, char[] password) throws Exception {
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keyStore, password), password);
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(trustStore, password));
    }

    private static KeyStore load(Path file, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        }
        return ks;
    }

    Result measure(int port, int threads, double warmupSeconds, double seconds) throws InterruptedException {
        Histogram latencies = new ConcurrentHistogram(3);
        AtomicLong done = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmupSeconds * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                while (System.nanoTime() < end) {
                    long begin = System.nanoTime();
                    boolean ok = once(port);
                    long finished = System.nanoTime();
                    if (begin >= measureFrom && finished <= end) {
                        if (ok) {
                            done.incrementAndGet();
                            latencies.recordValue((finished - begin) / 1000);
                        } else {
                            failures.incrementAndGet();
                        }
                    }
                }
            }, "handshake-rate-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        return new Result(done.get() / seconds, latencies.getValueAtPercentile(50) / 1e3,
                latencies.getValueAtPercentile(99) / 1e3, failures.get());
    }

    private boolean once(int port) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                OutputStream out = socket.getOutputStream();
                out.write("srvr".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                byte[] answer = socket.getInputStream().readAllBytes();
                return new String(answer, StandardCharsets.US_ASCII).startsWith("Zookeeper version");
            }
        } catch (Exception e) {
            return false;
        }
    }
}
