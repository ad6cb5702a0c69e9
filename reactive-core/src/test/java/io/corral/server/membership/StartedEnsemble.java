package io.corral.server.membership;

import static org.awaitility.Awaitility.await;

import io.corral.server.childjvm.FourLetterWordClient;

import java.time.Duration;
import java.util.List;

/** The servers of {@link EnsembleFiles}, running: ZooKeeper 3.9.5's or Corral's. Closing stops every one. */
public interface StartedEnsemble extends AutoCloseable {

    EnsembleFiles files();

    /** {@code 127.0.0.1:port} of one member. */
    default String connectString(long id) {
        return "127.0.0.1:" + files().servers.get((int) id - 1).clientPort();
    }

    /** The ids of the servers running now. */
    java.util.Set<Long> running();

    /** Starts a server of the files that is not running (a spare, or one stopped). */
    void startServer(long id);

    /** Stops one server (closed at once, as a kill would). */
    void stopServer(long id);

    /** Waits until every running server serves: one leads and the others follow or observe, as srvr tells. */
    default void awaitServing(Duration timeout) {
        awaitServing(timeout, files().servers.stream().filter(s -> running().contains(s.id()))
                .map(EnsembleFiles.Server::clientPort).toList());
    }

    /** As above, for the servers on these client ports (a reconfiguration may have moved one from its files'). */
    default void awaitServing(Duration timeout, List<Integer> clientPorts) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
            int leaders = 0;
            for (int port : clientPorts) {
                String mode = mode(port);
                if (!List.of("leader", "follower", "observer").contains(mode)) {
                    return false;
                }
                leaders += mode.equals("leader") ? 1 : 0;
            }
            return leaders == 1;
        });
    }

    /** srvr's mode of the server on {@code clientPort}, or "not serving". */
    static String mode(int clientPort) {
        String srvr = FourLetterWordClient.ask(clientPort, "srvr", Duration.ofSeconds(5));
        if (srvr != null) {
            for (String line : srvr.split("\n")) {
                if (line.startsWith("Mode: ")) {
                    return line.substring(6).trim();
                }
            }
        }
        return "not serving";
    }

    @Override
    void close();
}
