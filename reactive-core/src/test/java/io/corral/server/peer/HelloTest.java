package io.corral.server.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The hello of a peer link: version 1 as servers without quorum SASL send it, version 2 with its flags. */
class HelloTest {

    private static Hello roundTrip(Hello hello) {
        ByteBuf buf = Unpooled.buffer();
        hello.writeTo(buf);
        assertThat(buf.readInt()).as("the length prefix").isEqualTo(buf.readableBytes());
        return Hello.parse(buf);
    }

    @Test
    void versionOneHasNoFlags() {
        ByteBuf buf = Unpooled.buffer();
        new Hello(Hello.VERSION, 3, 1).writeTo(buf);
        assertThat(buf.readableBytes()).isEqualTo(4 + Hello.SIZE);
        assertThat(roundTrip(new Hello(Hello.VERSION, 3, 1))).isEqualTo(new Hello(Hello.VERSION, 3, 1, 0));
    }

    @Test
    void versionTwoCarriesTheSaslFlag() {
        Hello hello = roundTrip(new Hello(Hello.VERSION_WITH_FLAGS, 3, 1, Hello.SASL));
        assertThat(hello.sasl()).isTrue();
        assertThat(hello.sender()).isEqualTo(3);
        assertThat(hello.receiver()).isEqualTo(1);
        assertThat(roundTrip(new Hello(Hello.VERSION_WITH_FLAGS, 3, 1, 0)).sasl()).isFalse();
    }

    @Test
    void aLengthThatDoesNotFitTheVersionIsNoHello() {
        ByteBuf v1WithFlags = Unpooled.buffer();
        v1WithFlags.writeInt(Hello.MAGIC).writeInt(Hello.VERSION).writeLong(3).writeLong(1).writeInt(Hello.SASL);
        assertThat(Hello.parse(v1WithFlags)).isNull();
        ByteBuf v2WithoutFlags = Unpooled.buffer();
        v2WithoutFlags.writeInt(Hello.MAGIC).writeInt(Hello.VERSION_WITH_FLAGS).writeLong(3).writeLong(1);
        assertThat(Hello.parse(v2WithoutFlags)).isNull();
    }
}
