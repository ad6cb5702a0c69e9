package io.corral.server.tls;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A client that speaks just enough of the client protocol (a ConnectRequest and pings) over TLS or plain TCP to
 * check the transport: who the server says it is, whether a session comes back, whether it stays usable.
 */
final class RawTlsClient implements AutoCloseable {
    private static final int TIMEOUT_MS = 10_000;

    private final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;

    private RawTlsClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(TIMEOUT_MS);
        this.out = new DataOutputStream(socket.getOutputStream());
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** A TLS connection whose handshake is done (an SSLException when the server refuses it). */
    static RawTlsClient tls(SSLContext context, int port) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        socket.startHandshake();
        return new RawTlsClient(socket);
    }

    static RawTlsClient plain(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
        return new RawTlsClient(socket);
    }

    X509Certificate serverCertificate() throws IOException {
        return (X509Certificate) ((SSLSocket) socket).getSession().getPeerCertificates()[0];
    }

    /** Sends a ConnectRequest for a new session; returns the session id, or throws if none comes back. */
    long connect() throws IOException {
        out.writeInt(4 + 8 + 4 + 8 + 4 + 16);
        out.writeInt(0); // protocol version
        out.writeLong(0); // last zxid seen
        out.writeInt(30_000); // session timeout
        out.writeLong(0); // session id
        out.writeInt(16);
        out.write(new byte[16]); // password
        out.flush();
        int length = in.readInt();
        byte[] body = in.readNBytes(length);
        if (body.length < 16) {
            throw new IOException("short ConnectResponse");
        }
        return java.nio.ByteBuffer.wrap(body, 8, 8).getLong();
    }

    /** A ping; true when its reply comes back. */
    boolean ping() throws IOException {
        out.writeInt(8);
        out.writeInt(-2); // the ping xid
        out.writeInt(11); // OpCode.PING
        out.flush();
        int length = in.readInt();
        byte[] reply = in.readNBytes(length);
        return reply.length >= 16 && java.nio.ByteBuffer.wrap(reply).getInt() == -2;
    }

    /** Writes raw bytes (garbage, a partial handshake). */
    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a four-letter word and reads the answer up to the server's close. */
    String ask(String word) throws IOException {
        send(word.getBytes(StandardCharsets.US_ASCII));
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** True when the server closed the connection (end of stream, or a reset) before sending anything. */
    boolean closedByServer() {
        try {
            InputStream stream = socket.getInputStream();
            return stream.read() == -1;
        } catch (IOException e) {
            return !(e instanceof java.net.SocketTimeoutException);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
