package dev.basalt.server.mysql;

import dev.basalt.server.session.LocalFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The client side of {@code LOAD DATA LOCAL INFILE} in MySQL's protocol: the server answers the
 * statement with a {@code 0xFB} packet naming the file, the client sends the file's bytes in
 * packets of its choosing and ends with an empty packet; then the server answers the statement (OK
 * or ERR). Each opened file is an {@link InputStream} over those packets, read as they arrive
 * (never the whole file in memory). Used on the connection's worker thread only.
 */
final class LocalInfileTransfer implements LocalFiles {
  private static final int LOCAL_INFILE_REQUEST = 0xFB;

  private final PacketOutput output;
  private final Supplier<InboundPacket> nextPacket;

  /**
   * @param nextPacket the client's next packet (blocks; throws when the client disconnects)
   */
  LocalInfileTransfer(PacketOutput output, Supplier<InboundPacket> nextPacket) {
    this.output = output;
    this.nextPacket = nextPacket;
  }

  @Override
  public InputStream open(String fileName) {
    var out = output.begin();
    out.writeByte(LOCAL_INFILE_REQUEST);
    out.writeBytes(fileName.getBytes(StandardCharsets.UTF_8));
    output.end();
    output.flush();
    return new PacketStream();
  }

  /** The file's bytes, packet by packet, up to the empty packet that ends it. */
  private final class PacketStream extends InputStream {
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;

    private boolean fill() {
      while (!ended && position == current.length) {
        byte[] payload = nextPacket.get().payload();
        if (payload.length == 0) {
          ended = true;
        } else {
          current = payload;
          position = 0;
        }
      }
      return !ended;
    }

    @Override
    public int read() {
      return fill() ? current[position++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int count = Math.min(length, current.length - position);
      System.arraycopy(current, position, buffer, offset, count);
      position += count;
      return count;
    }

    /**
     * Reads and drops the rest of the file, so that the next packet is the client's next command.
     */
    @Override
    public void close() throws IOException {
      while (fill()) {
        position = current.length;
      }
    }
  }
}
