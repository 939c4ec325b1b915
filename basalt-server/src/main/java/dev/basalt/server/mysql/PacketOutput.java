package dev.basalt.server.mysql;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Frames server payloads into packets (3-byte length, sequence id, payload; payloads of 16 MiB or
 * more are split) and sends them on the channel.
 *
 * <p>Usage: {@link #begin()} returns the buffer to write one payload into (with the static helpers
 * of this class), {@link #end()} closes the packet; {@link #flush()} after the last packet of a
 * response. Packets are gathered into one buffer and written when it grows past {@link
 * #WRITE_THRESHOLD}; after such a write the calling thread waits while the channel is not writable,
 * so a large result set streams at the client's pace instead of piling up in memory.
 *
 * <p>On a connection accepted by {@link MysqlSocketChannels.Server} without TLS, what is buffered
 * is written to the socket by the calling thread itself while nothing of the connection waits in
 * Netty (what the socket does not take at once, and everything after it until Netty has written
 * that, goes through Netty as before, so bytes keep their order): the event loop is then not woken
 * up for each answer.
 *
 * <p>Used only by the connection's worker thread (never the event loop). Throws {@link
 * ClientDisconnectedException} when the channel has closed.
 */
final class PacketOutput {
  static final int WRITE_THRESHOLD = 64 * 1024;

  private final Channel channel;
  private final Object writabilityMonitor;

  /** The socket the worker may write to itself, or null (another kind of channel). */
  private final SocketChannel socket;

  /** Writes handed to Netty and not yet written by it to the socket (only counted with socket). */
  private final AtomicInteger nettyWritesInFlight = new AtomicInteger();

  private ByteBuf buffer;
  private int packetStart = -1;
  private int sequenceId;

  PacketOutput(Channel channel, Object writabilityMonitor) {
    this.channel = channel;
    this.writabilityMonitor = writabilityMonitor;
    this.socket =
        channel instanceof MysqlSocketChannels.Connection connection ? connection.socket() : null;
  }

  /** The sequence id of the next packet; a reply starts at the request's id plus one. */
  void setSequenceId(int sequenceId) {
    this.sequenceId = sequenceId & 0xFF;
  }

  int sequenceId() {
    return sequenceId;
  }

  /** Starts a packet and returns the buffer to append its payload to, until {@link #end()}. */
  ByteBuf begin() {
    if (packetStart >= 0) {
      throw new IllegalStateException("packet already begun");
    }
    if (buffer == null) {
      buffer = channel.alloc().buffer(4096);
    }
    packetStart = buffer.writerIndex();
    buffer.writeInt(0);
    return buffer;
  }

  /** Closes the packet begun last. */
  void end() {
    int length = buffer.writerIndex() - packetStart - 4;
    if (length < MysqlProtocol.MAX_PACKET_PAYLOAD) {
      buffer.setMediumLE(packetStart, length);
      buffer.setByte(packetStart + 3, nextSequenceId());
      packetStart = -1;
    } else {
      splitLastPacket(length);
    }
    if (buffer.readableBytes() >= WRITE_THRESHOLD) {
      writeBuffered(true);
    }
  }

  /**
   * Rewrites an oversized payload as chunks of the maximum size and a shorter (maybe empty) last
   * one.
   */
  private void splitLastPacket(int length) {
    ByteBuf payload = buffer.retainedSlice(packetStart + 4, length);
    try {
      ByteBuf framed =
          channel
              .alloc()
              .buffer(packetStart + length + 4 * (length / MysqlProtocol.MAX_PACKET_PAYLOAD + 1));
      framed.writeBytes(buffer, buffer.readerIndex(), packetStart - buffer.readerIndex());
      int offset = 0;
      while (true) {
        int chunk = Math.min(MysqlProtocol.MAX_PACKET_PAYLOAD, length - offset);
        framed.writeMediumLE(chunk);
        framed.writeByte(nextSequenceId());
        framed.writeBytes(payload, offset, chunk);
        offset += chunk;
        if (chunk < MysqlProtocol.MAX_PACKET_PAYLOAD) {
          break;
        }
      }
      buffer.release();
      buffer = framed;
      packetStart = -1;
    } finally {
      payload.release();
    }
  }

  private int nextSequenceId() {
    int id = sequenceId;
    sequenceId = (sequenceId + 1) & 0xFF;
    return id;
  }

  /** Sends everything buffered and waits until the channel accepts more. */
  void flush() {
    if (packetStart >= 0) {
      throw new IllegalStateException("flush inside a packet");
    }
    writeBuffered(true);
  }

  /** Forgets the packet begun last, e.g. when encoding a row failed half way. */
  void abortPacket() {
    if (packetStart >= 0) {
      buffer.writerIndex(packetStart);
      packetStart = -1;
    }
  }

  /** Drops what is buffered (when the connection is going away). */
  void discard() {
    if (buffer != null) {
      buffer.release();
      buffer = null;
    }
    packetStart = -1;
  }

  private void writeBuffered(boolean wait) {
    if (!channel.isActive()) {
      discard();
      throw new ClientDisconnectedException("client closed the connection");
    }
    if (buffer != null) {
      ByteBuf toWrite = buffer;
      buffer = null;
      if (socket == null) {
        channel.writeAndFlush(toWrite, channel.voidPromise());
      } else if (!writtenDirectly(toWrite)) {
        nettyWritesInFlight.incrementAndGet();
        channel
            .writeAndFlush(toWrite)
            .addListener(written -> nettyWritesInFlight.decrementAndGet());
      }
    }
    if (wait) {
      awaitWritable();
    }
  }

  /**
   * Writes {@code bytes} to the socket from this thread when Netty holds nothing of the connection
   * (no write of it in flight: Netty completes a write's future once its bytes are in the socket)
   * and no TLS handler must encrypt them. Returns true when all were written (and {@code bytes}
   * released); false when Netty must write them, or their rest (the socket's send buffer was full).
   */
  private boolean writtenDirectly(ByteBuf bytes) {
    if (nettyWritesInFlight.get() != 0
        || bytes.nioBufferCount() != 1
        || channel.pipeline().get(SslHandler.class) != null) {
      return false;
    }
    ByteBuffer view = bytes.nioBuffer();
    int length = view.remaining();
    try {
      while (view.hasRemaining() && socket.write(view) > 0) {
        // A non-blocking write takes what fits in the socket's send buffer.
      }
    } catch (IOException broken) {
      bytes.release();
      throw new ClientDisconnectedException("writing to the client failed: " + broken);
    }
    bytes.skipBytes(length - view.remaining());
    if (bytes.isReadable()) {
      return false;
    }
    bytes.release();
    return true;
  }

  private void awaitWritable() {
    synchronized (writabilityMonitor) {
      while (!channel.isWritable()) {
        if (!channel.isActive()) {
          throw new ClientDisconnectedException("client closed the connection");
        }
        try {
          writabilityMonitor.wait(200);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new ClientDisconnectedException("interrupted while sending to the client");
        }
      }
    }
  }

  // Payload helpers.

  static void writeInt2(ByteBuf out, int value) {
    out.writeShortLE(value);
  }

  static void writeInt4(ByteBuf out, long value) {
    out.writeIntLE((int) value);
  }

  static void writeLengthEncodedInt(ByteBuf out, long value) {
    if (value >= 0 && value < 251) {
      out.writeByte((int) value);
    } else if (value >= 0 && value < (1 << 16)) {
      out.writeByte(0xFC);
      out.writeShortLE((int) value);
    } else if (value >= 0 && value < (1 << 24)) {
      out.writeByte(0xFD);
      out.writeMediumLE((int) value);
    } else {
      out.writeByte(0xFE);
      out.writeLongLE(value);
    }
  }

  static void writeLengthEncodedBytes(ByteBuf out, byte[] bytes) {
    writeLengthEncodedInt(out, bytes.length);
    out.writeBytes(bytes);
  }

  static void writeLengthEncodedString(ByteBuf out, String text) {
    writeLengthEncodedBytes(out, text.getBytes(StandardCharsets.UTF_8));
  }

  static void writeNullTerminatedString(ByteBuf out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    out.writeByte(0);
  }
}
