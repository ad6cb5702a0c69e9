package io.corral.log;

import java.util.Arrays;
import java.util.Objects;

/**
 * One transaction as the log stores it. The server encodes its txn body into {@code body}; the log treats it
 * as opaque bytes.
 *
 * <p>Equality compares the body by content (records would otherwise compare the array by identity).
 *
 * @param zxid      the transaction id, {@code (epoch << 32) | counter}; strictly increasing along the log, always &gt; 0
 * @param sessionId the session that issued the request
 * @param cxid      the client's xid of the request
 * @param time      the leader's wall-clock time of the txn, in milliseconds
 * @param type      the txn type (opcode), as the server defines it
 * @param body      the encoded txn body (never null; may be empty)
 */
public record LogEntry(long zxid, long sessionId, int cxid, long time, int type, byte[] body) {

    public LogEntry {
        Objects.requireNonNull(body, "body");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogEntry e
                && zxid == e.zxid && sessionId == e.sessionId && cxid == e.cxid && time == e.time && type == e.type
                && Arrays.equals(body, e.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(zxid, sessionId, cxid, time, type) * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "LogEntry[zxid=0x" + Long.toHexString(zxid) + ", sessionId=0x" + Long.toHexString(sessionId)
                + ", cxid=" + cxid + ", time=" + time + ", type=" + type + ", body=" + body.length + " bytes]";
    }
}
