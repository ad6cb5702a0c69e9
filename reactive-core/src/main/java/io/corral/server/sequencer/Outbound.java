package io.corral.server.sequencer;

import io.corral.protocol.ConnectResponse;
import io.corral.protocol.Record;
import io.corral.protocol.StreamFrame;
import io.corral.protocol.WatcherEvent;

/** What the sequencer hands a connection to write; encoded on the connection's own event loop. */
public sealed interface Outbound {

    /** A reply: header, and the body when err is 0 and there is one. */
    record Reply(int xid, long zxid, int err, Record body) implements Outbound {
    }

    /** A watch event (xid -1). */
    record Notification(long zxid, WatcherEvent event) implements Outbound {
    }

    /** A frame of a resumable watch stream (xid {@value StreamFrame#XID}). */
    record Stream(StreamFrame frame) implements Outbound {
    }

    /** The first frame of a connection. */
    record Handshake(ConnectResponse response) implements Outbound {
    }

    /** Plain text, for four-letter words. */
    record Text(String text) implements Outbound {
    }

    /** Close the connection after everything queued before this. */
    record Close(String reason) implements Outbound {
    }
}
