package io.corral.server.ensemble;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.corral.client.SocketPump;

/**
 * The one-way network link from one server to another, as a set of loopback port forwards (one per port of the
 * target: quorum, election). {@link #cut()} resets every connection through it and refuses (accepts, then resets)
 * new ones until {@link #restore()}. Whether a connection is let through is decided under one lock, at accept and
 * again once the upstream side is connected, so no connection slips past a cut that happened in between.
 *
 * <p>Unlike the client-side {@code io.corral.client.TcpProxy} (one target, a cut that can race with an accept in
 * progress) this is built for partitions. Plain blocking sockets, a thread per direction of each connection: test
 * plumbing, never on an event loop.
 */
public final class LinkProxy implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MS = 2_000;

    private final String name;
    /** target port -> listener forwarding to it */
    private final Map<Integer, ServerSocket> listeners = new LinkedHashMap<>();
    private final Object lock = new Object();
    private final Set<Socket> open = new HashSet<>();
    private boolean cut;
    private boolean closed;
    private long accepted;
    private long refused;

    /** Listens on a fresh 127.0.0.1 port for each target port; connections go to 127.0.0.1:target. */
    public LinkProxy(String name, int... targetPorts) {
        this.name = name;
        try {
            for (int target : targetPorts) {
                ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                listeners.put(target, listener);
                Thread t = new Thread(() -> acceptLoop(listener, target),
                        "link-" + name + "-accept-" + listener.getLocalPort());
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    /** The local port that forwards to {@code targetPort}. */
    public int listenPort(int targetPort) {
        ServerSocket listener = listeners.get(targetPort);
        if (listener == null) {
            throw new IllegalArgumentException(name + " does not forward to port " + targetPort);
        }
        return listener.getLocalPort();
    }

    /** Resets every open connection and refuses new ones. */
    public void cut() {
        synchronized (lock) {
            cut = true;
            open.forEach(LinkProxy::reset);
            open.clear();
        }
    }

    /** Lets new connections through again (the ones cut stay cut: the peers reconnect). */
    public void restore() {
        synchronized (lock) {
            cut = false;
        }
    }

    public boolean isCut() {
        synchronized (lock) {
            return cut;
        }
    }

    /** Connections currently forwarded (each counts once). */
    public int openConnections() {
        synchronized (lock) {
            return open.size() / 2;
        }
    }

    /** Connections let through, and connections refused because the link was cut, since the start. */
    public long[] acceptedAndRefused() {
        synchronized (lock) {
            return new long[] {accepted, refused};
        }
    }

    private void acceptLoop(ServerSocket listener, int targetPort) {
        while (true) {
            Socket downstream;
            try {
                downstream = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (!admit(downstream, null)) {
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.setTcpNoDelay(true);
                downstream.setTcpNoDelay(true);
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort),
                        CONNECT_TIMEOUT_MS);
            } catch (IOException e) {
                // the target is down: the connecting peer sees its connection reset, as it would without a proxy
                forget(downstream);
                reset(upstream);
                continue;
            }
            if (admit(downstream, upstream)) {
                pump(downstream, upstream, "up");
                pump(upstream, downstream, "down");
            }
        }
    }

    /**
     * Registers the sockets as open unless the link is cut (then resets them). Called at accept with only the
     * downstream socket, and again with both once connected.
     */
    private boolean admit(Socket downstream, Socket upstream) {
        synchronized (lock) {
            if (cut || closed) {
                if (upstream == null) {
                    refused++;
                }
                open.remove(downstream);
                reset(downstream);
                if (upstream != null) {
                    reset(upstream);
                }
                return false;
            }
            open.add(downstream);
            if (upstream != null) {
                open.add(upstream);
                accepted++;
            }
            return true;
        }
    }

    private void forget(Socket s) {
        synchronized (lock) {
            open.remove(s);
        }
        reset(s);
    }

    private void pump(Socket from, Socket to, String direction) {
        SocketPump.start("link-" + name + "-" + direction, from, to, () -> { }, () -> {
            synchronized (lock) {
                open.remove(from);
                open.remove(to);
            }
        });
    }

    /** Closes with an RST (linger 0), so the other end fails at once instead of waiting for a FIN handshake. */
    private static void reset(Socket s) {
        try {
            if (!s.isClosed()) {
                s.setSoLinger(true, 0);
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        SocketPump.closeQuietly(s);
    }

    @Override
    public void close() {
        List<Socket> toClose;
        synchronized (lock) {
            closed = true;
            toClose = new ArrayList<>(open);
            open.clear();
        }
        toClose.forEach(LinkProxy::reset);
        for (ServerSocket listener : listeners.values()) {
            try {
                listener.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public String toString() {
        return "LinkProxy[" + name + (isCut() ? ", cut" : "") + "]";
    }
}
