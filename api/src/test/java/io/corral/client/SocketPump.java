package io.corral.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * The forwarding half of a test proxy: copies bytes from one socket to another on a daemon thread of its own until
 * either side ends, then closes both. Plain blocking sockets: test plumbing, never on an event loop.
 */
public final class SocketPump {
    private static final int BUFFER = 16 * 1024;

    private SocketPump() {
    }

    /**
     * Starts copying {@code from} → {@code to}. {@code beforeEachWrite} runs before every chunk is passed on (it may
     * block, to hold data back); {@code whenDone} runs once when the copy ends, before both sockets are closed.
     */
    public static void start(String threadName, Socket from, Socket to, Runnable beforeEachWrite, Runnable whenDone) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[BUFFER];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    beforeEachWrite.run();
                    out.write(buffer, 0, n);
                }
            } catch (IOException ignored) {
                // reset, cut or closed: end both sides below
            } finally {
                whenDone.run();
                closeQuietly(from);
                closeQuietly(to);
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
    }

    public static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
