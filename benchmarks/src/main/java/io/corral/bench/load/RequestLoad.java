package io.corral.bench.load;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * create, set, get and mixed: one request after another on every session, in a closed loop (--inflight per
 * session) or an open loop (--rate in total, latency from each request's intended send time).
 */
final class RequestLoad extends Workload {
    private interface Op {
        void issue(LoadClient client, LoadClient.Callback callback);
    }

    private String[] keyPaths;

    RequestLoad(LoadRun run) {
        super(run);
    }

    @Override
    Runnable prepare() throws Exception {
        byte[] data = settings.data();
        Op op = switch (settings.workload()) {
            case "create" -> {
                String parent = settings.root() + "/create-" + runId;
                sessions.ensure(parent);
                AtomicLong seq = new AtomicLong();
                yield (client, cb) -> client.create(parent + "/n" + seq.getAndIncrement(), data, cb);
            }
            case "set" -> {
                createKeys();
                yield (client, cb) -> client.setData(randomKey(), data, cb);
            }
            case "get" -> {
                createKeys();
                yield (client, cb) -> client.getData(randomKey(), false, cb);
            }
            case "mixed" -> {
                createKeys();
                yield (client, cb) -> {
                    if (ThreadLocalRandom.current().nextInt(100) < settings.readPct()) {
                        client.getData(randomKey(), false, cb);
                    } else {
                        client.setData(randomKey(), data, cb);
                    }
                };
            }
            default -> throw new IllegalStateException(settings.workload());
        };
        return settings.rate() > 0 ? () -> openLoop(op) : () -> closedLoop(op);
    }

    /** The znodes set/get/mixed address: created (or overwritten) with --size bytes, pipelined. */
    private void createKeys() throws Exception {
        String parent = settings.root() + "/keys";
        sessions.ensure(parent);
        int keys = settings.keys();
        byte[] data = settings.data();
        keyPaths = new String[keys];
        Semaphore window = new Semaphore(500);
        CountDownLatch done = new CountDownLatch(keys);
        AtomicInteger failed = new AtomicInteger();
        LoadClient c = sessions.first();
        for (int i = 0; i < keys; i++) {
            String path = parent + "/k" + i;
            keyPaths[i] = path;
            window.acquire();
            c.create(path, data, rc -> {
                if (rc == LoadClient.NODE_EXISTS) {
                    c.setData(path, data, rc2 -> {
                        if (rc2 != LoadClient.OK) {
                            failed.incrementAndGet();
                        }
                        window.release();
                        done.countDown();
                    });
                    return;
                }
                if (rc != LoadClient.OK) {
                    failed.incrementAndGet();
                }
                window.release();
                done.countDown();
            });
        }
        if (!done.await(120, TimeUnit.SECONDS) || failed.get() > 0) {
            throw new IllegalStateException("could not create the " + keys + " keys (" + failed.get() + " failed)");
        }
    }

    private String randomKey() {
        return keyPaths[ThreadLocalRandom.current().nextInt(keyPaths.length)];
    }

    /** Each session keeps --inflight requests outstanding until the end. */
    private void closedLoop(Op op) {
        m.outstanding.set((long) settings.clients() * settings.inflight());
        for (LoadClient client : sessions.all()) {
            for (int k = 0; k < settings.inflight(); k++) {
                issueClosed(client, op);
            }
        }
    }

    private void issueClosed(LoadClient client, Op op) {
        long start = System.nanoTime();
        if (m.ended(start)) {
            m.oneDone();
            return;
        }
        op.issue(client, rc -> {
            m.complete(start, rc);
            issueClosed(client, op);
        });
    }

    /** Requests at fixed intended times, round-robin over the sessions; latency from the intended time. */
    private void openLoop(Op op) {
        long base = System.nanoTime();
        double periodNs = 1e9 / settings.rate();
        m.outstanding.set(1); // the pacer itself, until it stops
        for (long i = 0; ; i++) {
            long intended = base + (long) (i * periodNs);
            if (m.ended(intended)) {
                break;
            }
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                if (wait > 60_000) {
                    LockSupport.parkNanos(wait - 50_000);
                } else {
                    Thread.onSpinWait();
                }
            }
            while (m.outstanding.get() > settings.maxOutstanding()) {
                LockSupport.parkNanos(20_000);
            }
            m.outstanding.incrementAndGet();
            LoadClient client = sessions.all().get((int) (i % sessions.all().size()));
            op.issue(client, rc -> {
                m.complete(intended, rc);
                m.oneDone();
            });
        }
        m.oneDone();
    }
}
