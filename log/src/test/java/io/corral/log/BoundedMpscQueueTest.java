package io.corral.log;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedMpscQueueTest {

    @Test
    void boundedFifo() {
        BoundedMpscQueue<Integer> q = new BoundedMpscQueue<>(3);
        assertThat(q.capacity()).isEqualTo(4);
        assertThat(q.poll()).isNull();
        assertThat(q.isEmpty()).isTrue();
        for (int lap = 0; lap < 3; lap++) {
            for (int i = 0; i < 4; i++) {
                assertThat(q.offer(i)).isTrue();
            }
            assertThat(q.offer(99)).isFalse();
            for (int i = 0; i < 4; i++) {
                assertThat(q.poll()).isEqualTo(i);
            }
            assertThat(q.poll()).isNull();
        }
    }

    @Test
    void queueTakesManyProducers() throws Exception {
        BoundedMpscQueue<Long> q = new BoundedMpscQueue<>(1000);
        int producers = 3;
        int perProducer = 20_000;
        Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads[p] = new Thread(() -> {
                for (long i = 0; i < perProducer; i++) {
                    Long v = ((long) id << 32) | i;
                    while (!q.offer(v)) {
                        Thread.yield();
                    }
                }
            });
            threads[p].start();
        }
        long[] next = new long[producers];
        long received = 0;
        while (received < (long) producers * perProducer) {
            Long v = q.poll();
            if (v == null) {
                Thread.yield();
                continue;
            }
            int id = (int) (v >>> 32);
            assertThat(v & 0xFFFFFFFFL).isEqualTo(next[id]); // per-producer FIFO, nothing lost or duplicated
            next[id]++;
            received++;
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(q.poll()).isNull();
        assertThat(q.capacity()).isEqualTo(1024);
    }

}
