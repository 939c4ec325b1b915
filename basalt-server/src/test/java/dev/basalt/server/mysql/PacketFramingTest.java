package dev.basalt.server.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PacketFramingTest {
  private static final int MAX = MysqlProtocol.MAX_PACKET_PAYLOAD;

  private static ByteBuf physical(int sequenceId, byte[] payload, int offset, int length) {
    ByteBuf packet = Unpooled.buffer(length + 4);
    packet.writeMediumLE(length);
    packet.writeByte(sequenceId);
    packet.writeBytes(payload, offset, length);
    return packet;
  }

  /** A decoder past login, so that {@code max_allowed_packet} applies. */
  private static PacketDecoder authenticatedDecoder(long maxPayloadBytes) {
    PacketDecoder decoder = new PacketDecoder(maxPayloadBytes);
    decoder.authenticated();
    return decoder;
  }

  @Test
  void joinsPhysicalPacketsOfALongPayloadEvenWhenBytesArriveInPieces() {
    EmbeddedChannel channel = new EmbeddedChannel(authenticatedDecoder(64L << 20));
    byte[] payload = new byte[MAX + 10];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31);
    }
    ByteBuf stream = Unpooled.buffer();
    stream.writeBytes(physical(0, payload, 0, MAX));
    stream.writeBytes(physical(1, payload, MAX, 10));
    stream.writeBytes(physical(0, new byte[] {3, 'x'}, 0, 2));
    while (stream.isReadable()) {
      channel.writeInbound(stream.readRetainedSlice(Math.min(1 << 20, stream.readableBytes())));
    }
    InboundPacket first = channel.readInbound();
    InboundPacket second = channel.readInbound();
    assertThat(first.sequenceId()).isEqualTo(1);
    assertThat(Arrays.equals(first.payload(), payload)).isTrue();
    assertThat(second.sequenceId()).isZero();
    assertThat(second.payload()).containsExactly(3, 'x');
    assertThat(channel.inboundMessages()).isEmpty();
    stream.release();
  }

  /**
   * A payload large enough to be read into its own array as it arrives ({@link
   * PacketDecoder#BODY_IN_PLACE_MIN_BYTES}), in pieces of every size, followed in the same pieces
   * by more packets (a small one, another large one): each comes out whole and in order.
   */
  @Test
  void largePayloadsArrivingInPiecesComeOutWhole() {
    for (int piece : new int[] {1, 7, 4093, 65536, 1 << 20}) {
      EmbeddedChannel channel = new EmbeddedChannel(authenticatedDecoder(64L << 20));
      byte[] large = new byte[150_000];
      byte[] other = new byte[PacketDecoder.BODY_IN_PLACE_MIN_BYTES];
      for (int i = 0; i < large.length; i++) {
        large[i] = (byte) (i * 31 + 7);
      }
      Arrays.fill(other, (byte) 5);
      ByteBuf stream = Unpooled.buffer();
      stream.writeBytes(physical(0, large, 0, large.length));
      stream.writeBytes(physical(0, new byte[] {3, 'x'}, 0, 2));
      stream.writeBytes(physical(2, other, 0, other.length));
      while (stream.isReadable()) {
        channel.writeInbound(stream.readRetainedSlice(Math.min(piece, stream.readableBytes())));
      }
      InboundPacket first = channel.readInbound();
      InboundPacket second = channel.readInbound();
      InboundPacket third = channel.readInbound();
      assertThat(Arrays.equals(first.payload(), large)).as("pieces of %d", piece).isTrue();
      assertThat(first.sequenceId()).isZero();
      assertThat(second.payload()).containsExactly(3, 'x');
      assertThat(Arrays.equals(third.payload(), other)).isTrue();
      assertThat(third.sequenceId()).isEqualTo(2);
      assertThat(channel.inboundMessages()).isEmpty();
      stream.release();
    }
  }

  /**
   * A header announcing a large payload allocates nothing until an eighth of the payload has
   * arrived: sending four bytes must not make the server hold megabytes per connection.
   */
  @Test
  void aHeaderAloneDoesNotAllocateTheAnnouncedPayload() {
    PacketDecoder decoder = authenticatedDecoder(64L << 20);
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    int length = PacketDecoder.BODY_IN_PLACE_MAX_BYTES;
    byte[] payload = new byte[length];
    Arrays.fill(payload, (byte) 9);
    ByteBuf stream = Unpooled.wrappedBuffer(physical(0, payload, 0, length));
    channel.writeInbound(stream.readRetainedSlice(4));
    assertThat(decoder.bodyInPlaceLength()).as("after the header").isEqualTo(-1);
    channel.writeInbound(stream.readRetainedSlice(length / 16));
    assertThat(decoder.bodyInPlaceLength()).as("after a sixteenth").isEqualTo(-1);
    channel.writeInbound(stream.readRetainedSlice(length / 8));
    assertThat(decoder.bodyInPlaceLength()).as("after three sixteenths").isEqualTo(length);
    channel.writeInbound(stream.readRetainedSlice(stream.readableBytes()));
    InboundPacket packet = channel.readInbound();
    assertThat(Arrays.equals(packet.payload(), payload)).isTrue();
    stream.release();
  }

  @Test
  void aPayloadOfExactlyTheMaximumEndsWithAnEmptyPacket() {
    EmbeddedChannel channel = new EmbeddedChannel(authenticatedDecoder(64L << 20));
    byte[] payload = new byte[MAX];
    channel.writeInbound(physical(0, payload, 0, MAX));
    assertThat(channel.inboundMessages()).isEmpty();
    channel.writeInbound(physical(1, new byte[0], 0, 0));
    InboundPacket packet = channel.readInbound();
    assertThat(packet.payload()).hasSize(MAX);
    assertThat(packet.sequenceId()).isEqualTo(1);
  }

  @Test
  void rejectsPayloadsOverTheLimit() {
    EmbeddedChannel channel = new EmbeddedChannel(authenticatedDecoder(100));
    assertThatThrownBy(() -> channel.writeInbound(physical(0, new byte[101], 0, 101)))
        .isInstanceOf(DecoderException.class)
        .hasMessageContaining("limit of 100 bytes");
  }

  @Test
  void outputSplitsLongPayloadsAndNumbersPackets() {
    EmbeddedChannel channel = new EmbeddedChannel();
    PacketOutput output = new PacketOutput(channel, new Object());
    output.setSequenceId(5);
    output.begin().writeByte(1);
    output.end();
    ByteBuf big = output.begin();
    big.writeZero(MAX);
    output.end();
    output.flush();
    ByteBuf written = Unpooled.buffer();
    ByteBuf part;
    while ((part = channel.readOutbound()) != null) {
      written.writeBytes(part);
      part.release();
    }
    assertThat(written.readUnsignedMediumLE()).isEqualTo(1);
    assertThat(written.readUnsignedByte()).isEqualTo((short) 5);
    assertThat(written.readByte()).isEqualTo((byte) 1);
    assertThat(written.readUnsignedMediumLE()).isEqualTo(MAX);
    assertThat(written.readUnsignedByte()).isEqualTo((short) 6);
    written.skipBytes(MAX);
    assertThat(written.readUnsignedMediumLE()).isZero();
    assertThat(written.readUnsignedByte()).isEqualTo((short) 7);
    assertThat(written.isReadable()).isFalse();
    assertThat(output.sequenceId()).isEqualTo(8);
  }
}
