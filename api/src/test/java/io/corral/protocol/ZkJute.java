package io.corral.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;

/**
 * Bridges between Corral's codec and ZooKeeper's generated jute classes: bytes out of either side, records back in
 * on either side, and conversions of the shared data records (Stat, Id, ACL).
 */
final class ZkJute {
    static final int MAX_BUFFER = 1_048_575;

    private ZkJute() {
    }

    /** Corral's encoding of a record. */
    static byte[] corral(Record record) {
        ByteBuf buf = Unpooled.buffer();
        record.write(new JuteOutput(buf));
        return ByteBufUtil.getBytes(buf);
    }

    /** ZooKeeper's encoding of a record. */
    static byte[] zk(org.apache.jute.Record record) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            record.serialize(BinaryOutputArchive.getArchive(bytes), "r");
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes bytes with a ZooKeeper record, asserting that it consumes every byte. */
    static <T extends org.apache.jute.Record> T zkRead(byte[] bytes, T record) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        try {
            record.deserialize(BinaryInputArchive.getArchive(in), "r");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(in.available()).as("bytes left after ZooKeeper decoded %s", record.getClass().getSimpleName())
                .isZero();
        return record;
    }

    /** Decodes bytes with Corral, asserting that it consumes every byte. */
    static <T> T corralRead(byte[] bytes, Function<JuteInput, T> reader) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        T result = reader.apply(new JuteInput(buf, MAX_BUFFER));
        assertThat(buf.readableBytes()).as("bytes left after Corral decoded %s", result).isZero();
        return result;
    }

    static org.apache.zookeeper.data.Stat zkStat(Stat s) {
        return new org.apache.zookeeper.data.Stat(s.czxid(), s.mzxid(), s.ctime(), s.mtime(), s.version(),
                s.cversion(), s.aversion(), s.ephemeralOwner(), s.dataLength(), s.numChildren(), s.pzxid());
    }

    static Stat stat(org.apache.zookeeper.data.Stat s) {
        return new Stat(s.getCzxid(), s.getMzxid(), s.getCtime(), s.getMtime(), s.getVersion(), s.getCversion(),
                s.getAversion(), s.getEphemeralOwner(), s.getDataLength(), s.getNumChildren(), s.getPzxid());
    }

    static List<org.apache.zookeeper.data.ACL> zkAcl(List<Acl> acl) {
        if (acl == null) {
            return null;
        }
        List<org.apache.zookeeper.data.ACL> result = new ArrayList<>();
        for (Acl a : acl) {
            result.add(new org.apache.zookeeper.data.ACL(a.perms(),
                    new org.apache.zookeeper.data.Id(a.id().scheme(), a.id().id())));
        }
        return result;
    }

    static List<Acl> acl(List<org.apache.zookeeper.data.ACL> acl) {
        if (acl == null) {
            return null;
        }
        List<Acl> result = new ArrayList<>();
        for (org.apache.zookeeper.data.ACL a : acl) {
            result.add(new Acl(a.getPerms(), new Id(a.getId().getScheme(), a.getId().getId())));
        }
        return result;
    }
}
