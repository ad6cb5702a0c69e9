package io.corral.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * A loopback TCP proxy in front of a server, to break connections on purpose: {@link #cutAll()} closes every
 * proxied connection, {@link #refuse(boolean)} makes new connections close at once, {@link #holdReplies(boolean)}
 * stops passing server bytes to clients (they are delivered on release). Events ("accepted", "refused",
 * "upstream-closed") are published on {@link #events()}.
 *
 * <p>Plain blocking sockets on their own threads: test plumbing, not client code.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private volatile InetSocketAddress target;
    private volatile boolean refuse;
    private volatile CompletableFuture<Void> replyGate = CompletableFuture.completedFuture(null);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Sinks.Many<String> events = Sinks.many().replay().all();
    private volatile boolean closed;

    public TcpProxy(String targetHostPort) throws IOException {
        this.target = address(targetHostPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tcp-proxy-accept-" + listener.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** {@code 127.0.0.1:port} of the proxy. */
    public String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    public void retarget(String targetHostPort) {
        target = address(targetHostPort);
    }

    public Flux<String> events() {
        return events.asFlux();
    }

    public void refuse(boolean on) {
        refuse = on;
    }

    public void holdReplies(boolean on) {
        if (on) {
            replyGate = new CompletableFuture<>();
        } else {
            replyGate.complete(null);
        }
    }

    public void cutAll() {
        for (Socket s : sockets) {
            SocketPump.closeQuietly(s);
        }
        sockets.clear();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (refuse) {
                SocketPump.closeQuietly(client);
                emit("refused");
                continue;
            }
            try {
                Socket upstream = new Socket();
                upstream.connect(target, 5000);
                upstream.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                emit("accepted");
                pump(client, upstream, false);
                pump(upstream, client, true);
            } catch (IOException e) {
                SocketPump.closeQuietly(client);
                emit("upstream-unreachable");
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromServer) {
        // the gate is read afresh for every chunk: holdReplies swaps it while the pump runs
        Runnable beforeEachWrite = fromServer ? () -> replyGate.join() : () -> { };
        Runnable whenDone = () -> {
            if (fromServer && !closed) {
                emit("upstream-closed");
            }
        };
        SocketPump.start("tcp-proxy-pump", from, to, beforeEachWrite, whenDone);
    }

    private synchronized void emit(String event) {
        events.tryEmitNext(event);
    }

    @Override
    public void close() {
        closed = true;
        replyGate.complete(null);
        try {
            listener.close();
        } catch (IOException ignored) {
            // already closed
        }
        cutAll();
    }
}
