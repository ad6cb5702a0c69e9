package io.corral.server.compat;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** Minimal end-to-end check of the harness itself: connect, create, read, watch. */
abstract class HarnessSmokeContract extends AbstractCompatContract {

    @Test
    void connectCreateReadAndWatch() throws Exception {
        RecordingWatcher events = new RecordingWatcher();
        ZooKeeper zk = connect(events);
        assertThat(zk.create("/smoke", "hi".getBytes(), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))
                .isEqualTo("/smoke");
        assertThat(zk.getData("/smoke", true, null)).isEqualTo("hi".getBytes());
        zk.setData("/smoke", "ho".getBytes(), -1);
        events.expect(EventType.NodeDataChanged, "/smoke");
        events.assertNoMore();
    }
}
