package io.corral.server.ops;

import io.corral.protocol.Id;
import io.corral.server.config.AdminServerConfig;
import io.corral.server.snapshot.BackupFile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * ZooKeeper 3.9's online backup and restore admin commands. {@code GET snapshot?streaming=true} sends a backup of the
 * running server, consistent at one zxid ({@link BackupFile}), with the headers {@code last_zxid} and
 * {@code snapshot_size}; without {@code streaming=true} the backup is kept in the snapshot directory as
 * {@code backup.<zxid>} (the newest only). {@code POST restore} with a backup as the body replaces the state of a
 * standalone server and answers {@code last_zxid}. Both require, as in ZooKeeper, an {@code Authorization} header
 * whose ids hold every permission on the root node (a super digest does), and are rate-limited. Files are read and
 * written off the event loops, a chunk at a time.
 */
final class BackupCommands {
    private static final Logger log = LoggerFactory.getLogger(BackupCommands.class);
    private static final int CHUNK = 64 * 1024;

    private final InspectableServer server;
    private final AdminServerConfig config;
    private final String superDigest;
    private final RateLimiter snapshots;
    private final RateLimiter restores;

    BackupCommands(InspectableServer server, AdminServerConfig config, String superDigest) {
        this.server = server;
        this.config = config;
        this.superDigest = superDigest;
        this.snapshots = new RateLimiter(config.rateLimiterIntervalMs());
        this.restores = new RateLimiter(config.rateLimiterIntervalMs());
    }

    Mono<Void> snapshot(HttpServerRequest request, HttpServerResponse response) {
        return authorized(AdminCommands.SNAPSHOT, request, response, () -> {
            Mono<Void> refused = refusal(response, "snapshot", config.snapshotEnabled(), snapshots);
            if (refused != null) {
                return refused;
            }
            boolean streaming = new QueryStringDecoder(request.uri()).parameters()
                    .getOrDefault("streaming", List.of()).stream().anyMatch(Boolean::parseBoolean);
            return Mono.fromFuture(server::backup)
                    .publishOn(Schedulers.boundedElastic())
                    .flatMap(backup -> {
                        response.header("last_zxid", "0x" + Long.toHexString(backup.zxid()))
                                .header("snapshot_size", Long.toString(backup.size()));
                        return streaming ? send(response, backup) : keep(response, backup);
                    })
                    .onErrorResume(e -> failed(response, "snapshot", e));
        });
    }

    Mono<Void> restore(HttpServerRequest request, HttpServerResponse response) {
        return authorized(AdminCommands.RESTORE, request, response, () -> {
            Mono<Void> refused = refusal(response, "restore", config.restoreEnabled(), restores);
            if (refused != null) {
                return refused;
            }
            return Mono.fromCallable(server::newRestoreFile).subscribeOn(Schedulers.boundedElastic())
                    .flatMap(file -> receive(request, file)
                            .then(Mono.defer(() -> Mono.fromFuture(server.restore(file)))
                                    .subscribeOn(Schedulers.boundedElastic()))
                            .publishOn(Schedulers.boundedElastic())
                            .flatMap(zxid -> answer(response, "restore", HttpResponseStatus.OK, null,
                                    Map.of("last_zxid", zxid)))
                            .doFinally(signal -> delete(file)))
                    .onErrorResume(e -> failed(response, "restore", e));
        });
    }

    /** ZooKeeper's answer when a command is turned off (503) or within the rate limit's interval (429); else null. */
    private static Mono<Void> refusal(HttpServerResponse response, String command, boolean enabled,
            RateLimiter limiter) {
        if (!enabled) {
            return answer(response, command, HttpResponseStatus.SERVICE_UNAVAILABLE, null, Map.of());
        }
        if (!limiter.allow()) {
            return answer(response, command, HttpResponseStatus.TOO_MANY_REQUESTS, null, Map.of());
        }
        return null;
    }

    /** ZooKeeper's checks before either command: authenticated (401), holding every permission on / (403). */
    private Mono<Void> authorized(String command, HttpServerRequest request, HttpServerResponse response,
            Supplier<Mono<Void>> then) {
        InetSocketAddress remote = request.remoteAddress();
        String ip = remote == null || remote.getAddress() == null ? "" : remote.getAddress().getHostAddress();
        AdminAuth.Outcome auth = AdminAuth.authenticate(request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION),
                ip, superDigest, AdminServer.certificateIds(request));
        if (!auth.authenticated()) {
            return answer(response, command, HttpResponseStatus.valueOf(auth.status()), auth.error(), Map.of());
        }
        List<Id> ids = auth.ids();
        Function<ServerView, Boolean> check = view -> view.mayAdminister(ids);
        return Mono.fromFuture(() -> server.inspect(check))
                .publishOn(Schedulers.boundedElastic()) // off the sequencer thread, which completes the check
                .flatMap(allowed -> allowed ? then.get()
                        : answer(response, command, HttpResponseStatus.FORBIDDEN, "Not authorized", Map.of()));
    }

    /** The backup as the body, read a chunk at a time off the event loop; deleted once sent (or not). */
    private static Mono<Void> send(HttpServerResponse response, BackupFile.Written backup) {
        Flux<ByteBuf> chunks = Flux.using(() -> FileChannel.open(backup.file(), StandardOpenOption.READ),
                channel -> Flux.<ByteBuf>generate(sink -> {
                    ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
                    try {
                        if (channel.read(buffer) < 0) {
                            sink.complete();
                        } else {
                            sink.next(Unpooled.wrappedBuffer(buffer.flip()));
                        }
                    } catch (IOException e) {
                        sink.error(e);
                    }
                }),
                BackupCommands::close)
                .subscribeOn(Schedulers.boundedElastic());
        return response.header(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
                .header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(backup.size()))
                .send(chunks).then()
                .doFinally(signal -> delete(backup.file()));
    }

    /** Without streaming: the backup stays in the snapshot directory as backup.<zxid>, replacing the previous one. */
    private static Mono<Void> keep(HttpServerResponse response, BackupFile.Written backup) {
        Path dir = backup.file().getParent();
        Path kept = dir.resolve(String.format("backup.%016x", backup.zxid()));
        try {
            try (var old = Files.newDirectoryStream(dir, "backup.*")) {
                for (Path previous : old) {
                    Files.deleteIfExists(previous);
                }
            }
            Files.move(backup.file(), kept, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            delete(backup.file());
            return Mono.error(e);
        }
        log.info("Backup of zxid 0x{} kept as {}", Long.toHexString(backup.zxid()), kept);
        return answer(response, "snapshot", HttpResponseStatus.OK, null, Map.of());
    }

    private static Mono<Void> receive(HttpServerRequest request, Path file) {
        return Mono.using(() -> FileChannel.open(file, StandardOpenOption.WRITE),
                channel -> request.receive().retain()
                        .publishOn(Schedulers.boundedElastic(), 4)
                        .doOnNext(chunk -> {
                            try {
                                ByteBuffer bytes = chunk.nioBuffer();
                                while (bytes.hasRemaining()) {
                                    channel.write(bytes);
                                }
                            } catch (IOException e) {
                                throw new UncheckedIOException("cannot keep the backup in " + file, e);
                            } finally {
                                chunk.release();
                            }
                        })
                        .then(),
                BackupCommands::close);
    }

    private static Mono<Void> failed(HttpServerResponse response, String command, Throwable e) {
        log.warn("The {} admin command failed", command, e);
        return answer(response, command, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                e.getMessage() == null ? e.toString() : e.getMessage(), Map.of());
    }

    private static Mono<Void> answer(HttpServerResponse response, String command, HttpResponseStatus status,
            String error, Map<String, Object> more) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("command", command);
        body.put("error", error);
        body.putAll(more);
        return AdminServer.json(response, status, body);
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing a backup's file", e);
        }
    }

    private static void delete(Path file) {
        Schedulers.boundedElastic().schedule(() -> {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("Cannot delete {}; start-up removes it", file, e);
            }
        });
    }
}
