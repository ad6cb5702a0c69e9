package io.corral.server.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.corral.protocol.Acl;
import io.corral.protocol.ConnectRequest;
import io.corral.protocol.ConnectResponse;
import io.corral.protocol.CreateRequest;
import io.corral.protocol.JuteInput;
import io.corral.protocol.JuteOutput;
import io.corral.protocol.OpCode;
import io.corral.protocol.Record;
import io.corral.protocol.ReplyHeader;
import io.corral.protocol.RequestHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * One client connection speaking ZooKeeper's frames by hand on a plain socket, for the contracts that send what the
 * official client never would (malformed, hostile or hand-ordered frames) and read the raw replies.
 */
final class RawConnection implements AutoCloseable {
    static final int SOCKET_TIMEOUT_MS = 5_000;
    /** ZooKeeper's default jute.maxbuffer: the largest frame either side accepts. */
    static final int MAX_BUFFER = 1_048_575;

    /** A reply: its header, and the frame it came in (the header read, the body next). */
    record Reply(ReplyHeader header, ByteBuf body) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextXid = 1_000;

    RawConnection(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.setSoTimeout(SOCKET_TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        socket.connect(address, SOCKET_TIMEOUT_MS);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    interface Body {
        void write(JuteOutput out);
    }

    void send(Body body) throws IOException {
        ByteBuf buf = Unpooled.buffer();
        buf.writeInt(0);
        body.write(new JuteOutput(buf));
        buf.setInt(0, buf.readableBytes() - 4);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        sendRaw(bytes);
    }

    void sendRequest(int xid, int type, Record record) throws IOException {
        send(o -> {
            new RequestHeader(xid, type).write(o);
            if (record != null) {
                record.write(o);
            }
        });
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void sendConnect(int timeout, Boolean readOnly) throws IOException {
        send(o -> new ConnectRequest(0, 0, timeout, 0, new byte[16], readOnly).write(o));
    }

    ConnectResponse handshake() throws IOException {
        sendConnect(10_000, false);
        ConnectResponse response = ConnectResponse.read(input(readFrame()));
        assertThat(response.sessionId()).as("session established").isNotZero();
        return response;
    }

    Reply create(String path, int flags) throws IOException {
        int xid = nextXid++;
        sendRequest(xid, OpCode.CREATE, new CreateRequest(path, null, Acl.OPEN_ACL_UNSAFE, flags, -1));
        Reply reply = readReply();
        assertThat(reply.header().xid()).isEqualTo(xid);
        return reply;
    }

    ByteBuf readFrame() throws IOException {
        int length = in.readInt();
        assertThat(length).as("frame length").isBetween(0, MAX_BUFFER);
        byte[] payload = new byte[length];
        in.readFully(payload);
        return Unpooled.wrappedBuffer(payload);
    }

    /** Reads the next reply, skipping watch notifications (xid -1). */
    Reply readReply() throws IOException {
        while (true) {
            ByteBuf frame = readFrame();
            ReplyHeader header = ReplyHeader.read(input(frame));
            if (header.xid() != -1) {
                return new Reply(header, frame);
            }
        }
    }

    byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    /** The server must close the connection without sending a single byte. */
    void assertClosedWithoutReply() throws IOException {
        List<Integer> received = new ArrayList<>();
        try {
            InputStream raw = socket.getInputStream();
            int b;
            while ((b = raw.read()) != -1) {
                received.add(b);
            }
        } catch (SocketTimeoutException e) {
            fail("connection still open after " + SOCKET_TIMEOUT_MS + " ms; received " + received);
        } catch (SocketException | EOFException e) {
            // reset by the server: closed
        }
        assertThat(received).as("bytes received before the close").isEmpty();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    static JuteInput input(ByteBuf buf) {
        return new JuteInput(buf, MAX_BUFFER);
    }
}
