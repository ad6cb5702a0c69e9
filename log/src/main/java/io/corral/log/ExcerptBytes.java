package io.corral.log;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.wire.DocumentContext;

/** The payload of the excerpt read last, copied into a buffer that grows to the largest one seen. */
final class ExcerptBytes {
    byte[] buf = new byte[4096];
    int len;

    void read(DocumentContext dc) {
        Bytes<?> bytes = dc.wire().bytes();
        len = (int) bytes.readRemaining();
        if (buf.length < len) {
            buf = new byte[Math.max(len, buf.length * 2)];
        }
        bytes.read(buf, 0, len);
    }
}
