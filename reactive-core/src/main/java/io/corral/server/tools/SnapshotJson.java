package io.corral.server.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.corral.protocol.Acl;
import io.corral.server.snapshot.LoadedSnapshot;
import io.corral.server.snapshot.TreeSnapshot;
import io.corral.server.tree.DataNode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A snapshot as one JSON document (Corral's own layout): {@code zxid}, {@code sessions} (id, timeout) and
 * {@code nodes}, each with its path, persisted Stat fields, data (Base64, null for none) and ACL. Zxids and session
 * ids are hex strings, as operators read them.
 */
final class SnapshotJson {
    private SnapshotJson() {
    }

    static void write(LoadedSnapshot snapshot, OutputStream out) throws IOException {
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("zxid", hex(snapshot.zxid()));
            json.writeArrayFieldStart("sessions");
            for (TreeSnapshot.RestoredSession s : snapshot.sessions()) {
                json.writeStartObject();
                json.writeStringField("id", hex(s.id()));
                json.writeNumberField("timeout", s.timeout());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("nodes");
            try {
                TreeWalk.forEach(snapshot.tree(), (path, node) -> {
                    try {
                        writeNode(json, path, node);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        out.write('\n');
        out.flush();
    }

    private static void writeNode(JsonGenerator json, String path, DataNode n) throws IOException {
        json.writeStartObject();
        json.writeStringField("path", path);
        json.writeStringField("czxid", hex(n.czxid()));
        json.writeStringField("mzxid", hex(n.mzxid()));
        json.writeStringField("pzxid", hex(n.pzxid()));
        json.writeNumberField("ctime", n.ctime());
        json.writeNumberField("mtime", n.mtime());
        json.writeNumberField("version", n.version());
        json.writeNumberField("cversion", n.childCreations());
        json.writeNumberField("aversion", n.aversion());
        json.writeStringField("ephemeralOwner", hex(n.ephemeralOwner()));
        if (n.data() == null) {
            json.writeNullField("data");
        } else {
            json.writeBinaryField("data", n.data());
        }
        json.writeArrayFieldStart("acl");
        for (Acl entry : n.acl()) {
            json.writeStartObject();
            json.writeNumberField("perms", entry.perms());
            json.writeStringField("scheme", entry.id().scheme());
            json.writeStringField("id", entry.id().id());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
