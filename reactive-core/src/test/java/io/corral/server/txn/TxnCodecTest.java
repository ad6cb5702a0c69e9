package io.corral.server.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.protocol.Acl;
import io.corral.protocol.Id;
import io.corral.protocol.MarshallingException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A txn body decodes to what was encoded, and bytes that are not a body fail cleanly. */
class TxnCodecTest {
    private static final byte[] DATA = "value".getBytes(StandardCharsets.UTF_8);

    private static final List<Txn> ALL = List.of(
            new Txn.Create("/a/b", DATA, Acl.OPEN_ACL_UNSAFE, 0x1234_5678_9abcL, 7, true),
            new Txn.Create("/ephemeral-é", null, List.of(new Acl(31, new Id("digest", "u:x")),
                    new Acl(1, Id.ANYONE)), -1L, -2, false),
            new Txn.Delete("/a"),
            new Txn.SetData("/a", DATA, 42),
            new Txn.SetData("/a", new byte[0], -1),
            new Txn.SetAcl("/a", Acl.READ_ACL_UNSAFE, 3),
            new Txn.Check("/a"),
            new Txn.CreateSession(30_000, new byte[16]),
            new Txn.CloseSession(List.of("/e1", "/e2")),
            new Txn.CloseSession(List.of()),
            new Txn.Error(-101),
            new Txn.Multi(List.of(new Txn.Create("/m", DATA, Acl.OPEN_ACL_UNSAFE, 0, 1, false),
                    new Txn.Multi(List.of(new Txn.Delete("/m")), false), new Txn.Error(-110)), true));

    @Test
    void everyKindOfTxnDecodesToWhatWasEncoded() {
        for (Txn txn : ALL) {
            byte[] bytes = TxnCodec.encode(txn);
            Txn back = TxnCodec.decode(bytes);
            assertThat(back.getClass()).isEqualTo(txn.getClass());
            assertThat(TxnCodec.encode(back)).as(txn.toString()).isEqualTo(bytes);
        }
        Txn.Create create = (Txn.Create) TxnCodec.decode(TxnCodec.encode(ALL.get(0)));
        assertThat(create.path()).isEqualTo("/a/b");
        assertThat(create.data()).isEqualTo(DATA);
        assertThat(create.acl()).isEqualTo(Acl.OPEN_ACL_UNSAFE);
        assertThat(create.ephemeralOwner()).isEqualTo(0x1234_5678_9abcL);
        assertThat(((Txn.Create) TxnCodec.decode(TxnCodec.encode(ALL.get(1)))).data()).isNull();
        assertThat(((Txn.CloseSession) TxnCodec.decode(TxnCodec.encode(ALL.get(8)))).ephemeralsToDelete())
                .containsExactly("/e1", "/e2");
    }

    @Test
    void aTruncatedBodyFails() {
        for (Txn txn : ALL) {
            byte[] bytes = TxnCodec.encode(txn);
            for (int cut = 0; cut < bytes.length; cut++) {
                byte[] shorter = Arrays.copyOf(bytes, cut);
                assertThatThrownBy(() -> TxnCodec.decode(shorter)).as(txn + " cut at " + cut)
                        .isInstanceOf(MarshallingException.class);
            }
        }
    }

    @Test
    void lyingLengthsFail() {
        byte[] hugeString = ByteBuffer.allocate(12).putInt(2).putInt(Integer.MAX_VALUE).array(); // DELETE, length
        assertThatThrownBy(() -> TxnCodec.decode(hugeString)).isInstanceOf(MarshallingException.class);
        byte[] hugeList = ByteBuffer.allocate(8).putInt(7).putInt(1 << 30).array(); // CLOSE_SESSION, count
        assertThatThrownBy(() -> TxnCodec.decode(hugeList)).isInstanceOf(MarshallingException.class);
        byte[] negativeLength = ByteBuffer.allocate(8).putInt(2).putInt(-2).array();
        assertThatThrownBy(() -> TxnCodec.decode(negativeLength)).isInstanceOf(MarshallingException.class);
    }
}
