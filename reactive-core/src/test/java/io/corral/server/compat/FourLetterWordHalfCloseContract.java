package io.corral.server.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.zookeeper.client.FourLetterWordMain;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Four-letter words sent as ZooKeeper's own tools send them: {@link FourLetterWordMain} (used by zkServer.sh status)
 * half-closes the socket right after the word, as {@code nc -N} does; the answer must still come (issue 14).
 */
public abstract class FourLetterWordHalfCloseContract extends AbstractCompatContract {

    @Override
    protected Map<String, String> serverConfig() {
        return Map.of("4lw.commands.whitelist", "ruok,srvr,mntr,isro,wchp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ruok", "srvr", "mntr", "isro", "wchp"})
    void aWordFollowedByAHalfCloseIsAnswered(String word) throws Exception {
        var address = LargeRepliesContract.address(server);
        String answer = FourLetterWordMain.send4LetterWord(address.getHostString(), address.getPort(), word, false,
                10_000);
        switch (word) {
            case "ruok" -> assertThat(answer).isEqualTo("imok\n");
            case "isro" -> assertThat(answer).isEqualTo("rw\n");
            case "srvr" -> assertThat(answer).startsWith("Zookeeper version: ").contains("Mode: standalone");
            case "mntr" -> assertThat(answer).contains("zk_server_state\tstandalone");
            // no watches: ZooKeeper's empty list is one empty line (FourLetterWordMain adds a newline per line)
            default -> assertThat(answer).isEqualTo("\n");
        }
    }
}
