package io.corral.server.sequencer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.corral.protocol.ErrorCode;
import io.corral.server.tree.DataTree;
import io.corral.server.tree.TextNodes;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Hard limits refuse only with enforceQuota=true; either way going past a limit is logged. */
class QuotaCheckTest {
    private final DataTree tree = new DataTree();
    private final TextNodes nodes = new TextNodes(tree);

    private void create(String path, String data) {
        nodes.create(path, data);
    }

    private void limit(String limits) {
        create("/q", null);
        create("/zookeeper/quota/q", null);
        create("/zookeeper/quota/q/zookeeper_limits", limits);
        create("/zookeeper/quota/q/zookeeper_stats", null);
    }

    @Test
    void hardLimitRefusesWhenEnforced() throws KeeperError {
        limit("count=-1,bytes=-1=;byteHardLimit=3;countHardLimit=2");
        QuotaCheck enforced = new QuotaCheck(tree, true);
        enforced.check("/q/a", 3, 1);
        assertThatThrownBy(() -> enforced.check("/q/a", 4, 1)).isInstanceOf(KeeperError.class)
                .satisfies(e -> assertThat(((KeeperError) e).code).isEqualTo(ErrorCode.QUOTA_EXCEEDED));
        create("/q/a", null);
        assertThatThrownBy(() -> enforced.check("/q/b", 0, 1)).isInstanceOf(KeeperError.class);
        enforced.check("/q/a", 3, 0); // setData within the byte limit
        enforced.check("/elsewhere", 100, 1);
    }

    @Test
    void withoutEnforcementAHardLimitOnlyWarns() throws KeeperError {
        limit("count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=1");
        Logger log = (Logger) LoggerFactory.getLogger(QuotaCheck.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        try {
            new QuotaCheck(tree, false).check("/q/a", 0, 1);
        } finally {
            log.detachAppender(lines);
        }
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("Quota exceeded: /q [current count=2, hardCountLimit=1]");
    }
}
