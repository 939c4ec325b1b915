package dev.basalt.server.mysql;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.util.Arrays;
import java.util.List;

/**
 * Splits the client's byte stream into {@link InboundPacket}s. A physical packet is a 3-byte
 * little-endian payload length, a 1-byte sequence id and the payload; a payload of exactly {@link
 * MysqlProtocol#MAX_PACKET_PAYLOAD} bytes continues in the next packet, so a 20 MB INSERT arrives
 * as two full packets and a shorter last one, which this decoder joins.
 *
 * <p>Runs on the channel's event loop; one instance per channel.
 */
final class PacketDecoder extends ByteToMessageDecoder {
  private final long maxPayloadBytes;
  private byte[] pending;
  private int pendingLength;

  /** After an oversized packet the rest of the stream is meaningless; the connection is closing. */
  private boolean discarding;

  PacketDecoder(long maxPayloadBytes) {
    this.maxPayloadBytes = maxPayloadBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
    if (discarding) {
      in.skipBytes(in.readableBytes());
      return;
    }
    while (in.readableBytes() >= 4) {
      int start = in.readerIndex();
      int length = in.getUnsignedMediumLE(start);
      if (in.readableBytes() < 4 + length) {
        return;
      }
      int sequenceId = in.getUnsignedByte(start + 3);
      in.skipBytes(4);
      if (pendingLength + (long) length > maxPayloadBytes) {
        in.skipBytes(in.readableBytes());
        discarding = true;
        pending = null;
        pendingLength = 0;
        throw new TooLongFrameException(
            "client packet larger than the limit of " + maxPayloadBytes + " bytes");
      }
      if (length == MysqlProtocol.MAX_PACKET_PAYLOAD || pending != null) {
        append(in, length);
        if (length == MysqlProtocol.MAX_PACKET_PAYLOAD) {
          continue;
        }
        byte[] payload =
            pending.length == pendingLength ? pending : Arrays.copyOf(pending, pendingLength);
        pending = null;
        pendingLength = 0;
        out.add(new InboundPacket(sequenceId, payload));
      } else {
        byte[] payload = new byte[length];
        in.readBytes(payload);
        out.add(new InboundPacket(sequenceId, payload));
      }
    }
  }

  private void append(ByteBuf in, int length) {
    if (pending == null) {
      pending = new byte[Math.max(length, 1024)];
    }
    if (pendingLength + length > pending.length) {
      long grown = Math.max((long) pending.length * 2, (long) pendingLength + length);
      pending = Arrays.copyOf(pending, (int) Math.min(grown, Integer.MAX_VALUE - 8));
    }
    in.readBytes(pending, pendingLength, length);
    pendingLength += length;
  }
}
