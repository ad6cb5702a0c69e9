package io.corral.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FourLetterWordsTest {
    private static final String FOLLOWER = """
            Zookeeper version: 3.9.5-corral-0.1.0, built on 2026-01-01
            Latency min/avg/max: 0/0.0/0
            Received: 3
            Sent: 2
            Connections: 1
            Outstanding: 0
            Zxid: 0x200000004
            Mode: follower
            Node count: 1042
            """;

    @Test
    void readsModeAndNodeCountOfAServingMember() {
        assertThat(FourLetterWords.serving(FOLLOWER)).isTrue();
        assertThat(FourLetterWords.mode(FOLLOWER)).isEqualTo("follower");
        assertThat(FourLetterWords.nodeCount(FOLLOWER)).isEqualTo(1042);
    }

    @Test
    void aMemberThatIsNotServingHasNoModeAndNoCount() {
        String answer = "This ZooKeeper instance is not currently serving requests\n";
        assertThat(FourLetterWords.serving(answer)).isFalse();
        assertThat(FourLetterWords.mode(answer)).isNull();
        assertThat(FourLetterWords.nodeCount(answer)).isEqualTo(-1);
    }

    @Test
    void noAnswerAtAll() {
        assertThat(FourLetterWords.serving(null)).isFalse();
        assertThat(FourLetterWords.mode(null)).isNull();
        assertThat(FourLetterWords.nodeCount(null)).isEqualTo(-1);
    }

    @Test
    void aClosedPortAnswersNull() throws Exception {
        int port = ServerLauncher.freePort(); // bound and released: nothing listens there
        assertThat(FourLetterWords.srvr(port)).isNull();
    }
}
