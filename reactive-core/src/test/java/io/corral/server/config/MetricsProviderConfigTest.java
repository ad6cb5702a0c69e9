package io.corral.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** ZooKeeper's metricsProvider.* keys as Corral reads them. */
class MetricsProviderConfigTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(ServerConfig.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void attach() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(logged);
    }

    private static ServerConfig parse(String... keyValues) {
        return ConfigMaps.parse(keyValues);
    }

    @Test
    void offUnlessThePrometheusProviderIsNamed() {
        assertThat(parse().metricsProvider().prometheus()).isFalse();
        assertThat(parse("metricsProvider.className", MetricsProviderConfig.DEFAULT).metricsProvider().prometheus())
                .isFalse();
    }

    @Test
    void zooKeepersDefaultsWithThePrometheusProvider() {
        MetricsProviderConfig m = parse("metricsProvider.className", MetricsProviderConfig.PROMETHEUS)
                .metricsProvider();
        assertThat(m.prometheus()).isTrue();
        assertThat(m.httpAddress().getPort()).isEqualTo(7000);
        assertThat(m.httpAddress().getAddress().isAnyLocalAddress()).isTrue();
        assertThat(m.exportJvmInfo()).isTrue();
        assertThat(logged.list).noneMatch(e -> e.getLevel() == Level.WARN);
    }

    @Test
    void hostPortAndJvmInfoAreRead() {
        MetricsProviderConfig m = parse("metricsProvider.className", MetricsProviderConfig.PROMETHEUS,
                "metricsProvider.httpHost", "127.0.0.1", "metricsProvider.httpPort", "9141",
                "metricsProvider.exportJvmInfo", "false").metricsProvider();
        assertThat(m.httpAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(m.httpAddress().getPort()).isEqualTo(9141);
        assertThat(m.exportJvmInfo()).isFalse();
    }

    @Test
    void anotherProviderClassStopsStartUp() {
        assertThatThrownBy(() -> parse("metricsProvider.className", "com.example.MyProvider"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("metricsProvider.className");
    }

    @Test
    void zooKeepersOtherProviderKeysAreReportedAsUnknown() {
        parse("metricsProvider.className", MetricsProviderConfig.PROMETHEUS, "metricsProvider.httpsPort", "7443");
        assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .containsExactly("Unknown config key 'metricsProvider.httpsPort' ignored");
    }
}
