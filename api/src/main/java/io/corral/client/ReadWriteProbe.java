package io.corral.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpClient;

/**
 * Asks one server whether it serves writes, with the four-letter word {@code isro}: a server answers {@code rw} or
 * {@code ro} and closes the connection (ZooKeeper whitelists the word whenever read-only mode is enabled). The
 * client of a read-only session probes the other servers this way, as ZooKeeper's client does.
 */
final class ReadWriteProbe {
    private static final int MAX_ANSWER = 64;

    private ReadWriteProbe() {
    }

    /** True when the server answered {@code rw}; false for anything else, a failure, or no answer in time. */
    static Mono<Boolean> isReadWrite(ConnectString.HostPort host, Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        return TcpClient.newConnection()
                .host(host.host())
                .port(host.port())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis)
                .connect()
                .flatMap(c -> c.outbound().sendString(Mono.just("isro"), StandardCharsets.US_ASCII).then()
                        .thenMany(c.inbound().receive().asString(StandardCharsets.US_ASCII))
                        .reduce(new StringBuilder(), (sb, s) -> sb.length() < MAX_ANSWER ? sb.append(s) : sb)
                        .map(sb -> sb.toString().startsWith("rw"))
                        .doFinally(signal -> c.dispose()))
                .timeout(timeout)
                .onErrorReturn(false)
                .defaultIfEmpty(false);
    }
}
