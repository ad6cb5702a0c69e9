package io.corral.bench.load;

import java.util.concurrent.atomic.AtomicLong;

/** bulk: creates --count znodes with --clients x --inflight in flight; the run ends when all are answered. */
final class BulkCreate extends Workload {
    BulkCreate(LoadRun run) {
        super(run);
    }

    @Override
    Runnable prepare() throws Exception {
        String parent = settings.root() + "/bulk-" + runId;
        sessions.ensure(parent);
        m.extra.put("count", settings.count());
        m.extra.put("parent", parent);
        AtomicLong next = new AtomicLong();
        m.outstanding.set((long) settings.clients() * settings.inflight());
        return () -> {
            for (LoadClient client : sessions.all()) {
                for (int k = 0; k < settings.inflight(); k++) {
                    issue(client, parent, next);
                }
            }
        };
    }

    private void issue(LoadClient client, String parent, AtomicLong next) {
        long i = next.getAndIncrement();
        if (i >= settings.count()) {
            m.oneDone();
            return;
        }
        long start = System.nanoTime();
        client.create(parent + "/n" + i, settings.data(), rc -> {
            m.complete(start, rc);
            issue(client, parent, next);
        });
    }
}
