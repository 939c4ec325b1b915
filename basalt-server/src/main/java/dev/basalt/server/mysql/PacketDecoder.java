package dev.basalt.server.mysql;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslContext;
import java.util.Arrays;
import java.util.List;

/**
 * Splits the client's byte stream into {@link InboundPacket}s. A physical packet is a 3-byte
 * little-endian payload length, a 1-byte sequence id and the payload; a payload of exactly {@link
 * MysqlProtocol#MAX_PACKET_PAYLOAD} bytes continues in the next packet, so a 20 MB INSERT arrives
 * as two full packets and a shorter last one, which this decoder joins.
 *
 * <p>Limits: until the connection has authenticated, a logical packet may carry at most {@link
 * #UNAUTHENTICATED_MAX_PAYLOAD_BYTES} (a handshake response or auth-switch reply is far smaller),
 * so that an anonymous client cannot make the server buffer megabytes; afterwards the limit is the
 * server's {@code max_allowed_packet}. A packet is refused as soon as its 4-byte header announces a
 * length over the limit, before its body is buffered or waited for.
 *
 * <p>Runs on the channel's event loop; one instance per channel. {@link #authenticated()} is called
 * by the connection's worker thread.
 */
final class PacketDecoder extends ByteToMessageDecoder {
  /** The largest logical packet accepted before authentication. */
  static final int UNAUTHENTICATED_MAX_PAYLOAD_BYTES = 16 * 1024;

  /** An SSLRequest: capability flags, max packet size, character set and 23 zero bytes. */
  static final int SSL_REQUEST_LENGTH = 32;

  private final long authenticatedMaxPayloadBytes;
  private final SslContext tls;
  private boolean tlsStarted;
  private volatile boolean authenticated;
  private byte[] pending;
  private int pendingLength;

  /** After an oversized packet the rest of the stream is meaningless; the connection is closing. */
  private boolean discarding;

  /**
   * The smallest and the largest payload read into its own array as its bytes arrive ({@link
   * #body}), rather than gathered in the decoder's cumulation buffer until complete: a 150 KB
   * COM_STMT_EXECUTE of a JDBC batch arrives in several reads, and the cumulation buffer copied and
   * regrew for each before the payload was copied out once more. The array is allocated only once
   * an eighth of the payload has arrived ({@link #BODY_IN_PLACE_ARRIVED_SHARE}), and never above
   * the largest: an announced length costs nothing to send, so a header alone must not make every
   * connection hold megabytes.
   */
  static final int BODY_IN_PLACE_MIN_BYTES = 16 << 10;

  static final int BODY_IN_PLACE_MAX_BYTES = 4 << 20;

  /** The payload's share (1 / this) that must have arrived before its array is allocated. */
  static final int BODY_IN_PLACE_ARRIVED_SHARE = 8;

  /** The payload being read in place, or null; {@code body[0 .. bodyFilled)} has arrived. */
  private byte[] body;

  private int bodyFilled;
  private int bodySequenceId;

  /**
   * @param authenticatedMaxPayloadBytes the largest logical packet once the client has
   *     authenticated ({@code max_allowed_packet})
   */
  PacketDecoder(long authenticatedMaxPayloadBytes) {
    this(authenticatedMaxPayloadBytes, null);
  }

  /**
   * @param tls the server's TLS context, or {@code null} when the server offers no TLS
   */
  PacketDecoder(long authenticatedMaxPayloadBytes, SslContext tls) {
    this.authenticatedMaxPayloadBytes = authenticatedMaxPayloadBytes;
    this.tls = tls;
  }

  /** Raises the limit to {@code max_allowed_packet}: the client has logged in. */
  void authenticated() {
    authenticated = true;
  }

  private long maxPayloadBytes() {
    return authenticated
        ? authenticatedMaxPayloadBytes
        : Math.min(UNAUTHENTICATED_MAX_PAYLOAD_BYTES, authenticatedMaxPayloadBytes);
  }

  @Override
  protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
    if (discarding) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (body != null) {
      int taken = Math.min(in.readableBytes(), body.length - bodyFilled);
      in.readBytes(body, bodyFilled, taken);
      bodyFilled += taken;
      if (bodyFilled < body.length) {
        return;
      }
      out.add(new InboundPacket(bodySequenceId, body, System.nanoTime()));
      body = null;
      bodyFilled = 0;
    }
    while (in.readableBytes() >= 4) {
      int start = in.readerIndex();
      int length = in.getUnsignedMediumLE(start);
      long limit = maxPayloadBytes();
      if (pendingLength + (long) length > limit) {
        // Refuse on the header alone: waiting for the body would let a client hold the
        // connection (and up to 16 MiB of buffer) with a packet that is refused anyway.
        in.skipBytes(in.readableBytes());
        discarding = true;
        pending = null;
        pendingLength = 0;
        throw new TooLongFrameException(
            (authenticated ? "client packet" : "client packet before authentication")
                + " larger than the limit of "
                + limit
                + " bytes");
      }
      if (in.readableBytes() < 4 + length) {
        if (authenticated
            && pending == null
            && length >= BODY_IN_PLACE_MIN_BYTES
            && length <= BODY_IN_PLACE_MAX_BYTES
            && in.readableBytes() - 4 >= length / BODY_IN_PLACE_ARRIVED_SHARE) {
          // A whole payload in one packet, not here yet: read it into its array as it arrives.
          bodySequenceId = in.getUnsignedByte(start + 3);
          in.skipBytes(4);
          body = new byte[length];
          bodyFilled = in.readableBytes();
          in.readBytes(body, 0, bodyFilled);
        }
        return;
      }
      int sequenceId = in.getUnsignedByte(start + 3);
      in.skipBytes(4);
      if (length == MysqlProtocol.MAX_PACKET_PAYLOAD || pending != null) {
        append(in, length);
        if (length == MysqlProtocol.MAX_PACKET_PAYLOAD) {
          continue;
        }
        byte[] payload =
            pending.length == pendingLength ? pending : Arrays.copyOf(pending, pendingLength);
        pending = null;
        pendingLength = 0;
        out.add(new InboundPacket(sequenceId, payload, System.nanoTime()));
      } else {
        byte[] payload = new byte[length];
        in.readBytes(payload);
        out.add(new InboundPacket(sequenceId, payload, System.nanoTime()));
        if (isSslRequest(sequenceId, payload)) {
          startTls(context, in);
          return;
        }
      }
    }
  }

  /** The length of the payload array allocated for a packet still arriving, or -1: for tests. */
  int bodyInPlaceLength() {
    return body == null ? -1 : body.length;
  }

  private boolean isSslRequest(int sequenceId, byte[] payload) {
    return tls != null
        && !tlsStarted
        && !authenticated
        && sequenceId == 1
        && payload.length == SSL_REQUEST_LENGTH
        && (payload[1] & (MysqlProtocol.CLIENT_SSL >>> 8)) != 0;
  }

  /**
   * Puts the TLS handler in front of this decoder. Bytes already received after the SSLRequest (the
   * start of the client's TLS handshake) are fed to it at once, before any later read, so it sees
   * the handshake in order. They hold no application data yet (the client cannot send any before
   * the handshake completes), so nothing comes back into this decoder meanwhile.
   */
  private void startTls(ChannelHandlerContext context, ByteBuf in) {
    tlsStarted = true;
    context.pipeline().addBefore(context.name(), "tls", tls.newHandler(context.alloc()));
    if (in.isReadable()) {
      // A copy: the cumulation buffer behind {@code in} is compacted and reused after this call.
      ByteBuf early = in.readBytes(in.readableBytes());
      context.pipeline().fireChannelRead(early);
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
