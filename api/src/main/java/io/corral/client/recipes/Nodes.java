package io.corral.client.recipes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.corral.client.ClientClosedException;
import io.corral.client.CorralClient;
import io.corral.client.KeeperErrorException;
import io.corral.protocol.CreateMode;
import io.corral.protocol.ErrorCode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/** Path and error helpers shared by the recipes. */
final class Nodes {
    /** Width of the suffix ZooKeeper appends to sequential nodes. */
    static final int SEQUENCE_DIGITS = 10;

    private Nodes() {
    }

    /** {@code parent/name}, for the root too. */
    static String join(String parent, String name) {
        return parent.equals("/") ? "/" + name : parent + "/" + name;
    }

    /** The parent path ({@code /} for a top-level node). */
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    /** The last path element. */
    static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * Creates {@code path} and its missing ancestors as containers (as Curator's creatingParentContainersIfNeeded),
     * so the server reaps them once they are empty again. Existing nodes are fine.
     */
    static Mono<Void> ensureContainers(CorralClient client, String path) {
        if (path.equals("/")) {
            return Mono.empty();
        }
        return Flux.fromIterable(prefixes(path))
                .concatMap(p -> client.create(p, null, CreateMode.CONTAINER).then()
                        .onErrorResume(e -> is(e, ErrorCode.NODE_EXISTS), e -> Mono.empty()))
                .then();
    }

    private static List<String> prefixes(String path) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while ((i = path.indexOf('/', i + 1)) > 0) {
            out.add(path.substring(0, i));
        }
        out.add(path);
        return out;
    }

    /** The sequence number ZooKeeper appended to a sequential node's name, or -1 when it has none. */
    static long sequence(String name) {
        if (name.length() < SEQUENCE_DIGITS) {
            return -1;
        }
        String digits = name.substring(name.length() - SEQUENCE_DIGITS);
        for (int i = 0; i < digits.length(); i++) {
            if (!Character.isDigit(digits.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(digits);
    }

    /** Orders sequential names by their sequence number (the name's prefix, e.g. a protection guid, is ignored). */
    static final Comparator<String> BY_SEQUENCE = Comparator.comparingLong(Nodes::sequence);

    /** A random id for node names: unique enough for protection prefixes, and cheap (no SecureRandom, no I/O). */
    static String randomId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
    }

    static boolean is(Throwable e, int code) {
        return KeeperErrorException.hasCode(e, code);
    }

    /** The session is gone (expired or closed): its ephemeral nodes are gone with it. */
    static boolean sessionEnded(Throwable e) {
        return e instanceof ClientClosedException || is(e, ErrorCode.SESSION_EXPIRED);
    }

    /**
     * Retries an operation that failed with CONNECTIONLOSS: the client queues the retry until it has reconnected,
     * and an expired session ends the retries with SESSIONEXPIRED.
     */
    static Retry onConnectionLoss() {
        return Retry.indefinitely().filter(e -> is(e, ErrorCode.CONNECTION_LOSS));
    }

    /** Deletes a node, any version; a node already gone, or a session already ended, counts as deleted. */
    static Mono<Void> deleteQuietly(CorralClient client, String path) {
        return client.delete(path)
                .retryWhen(onConnectionLoss())
                .onErrorResume(e -> is(e, ErrorCode.NO_NODE) || sessionEnded(e), e -> Mono.empty());
    }
}
