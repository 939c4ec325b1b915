package dev.basalt.storage.encoding;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A bounds-checked little-endian reader over a byte range. Every read that would run past the end
 * throws {@link FormatException} instead of an index exception, so corrupt lengths surface as
 * corruption. Used by one thread.
 */
public final class LittleEndianInput {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORTS =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

  private final byte[] buffer;
  private final int end;
  private int position;

  public LittleEndianInput(byte[] buffer, int offset, int length) {
    if (offset < 0 || length < 0 || offset > buffer.length - length) {
      throw new FormatException(
          "range " + offset + "+" + length + " outside a buffer of " + buffer.length + " bytes");
    }
    this.buffer = buffer;
    this.position = offset;
    this.end = offset + length;
  }

  public LittleEndianInput(byte[] buffer) {
    this(buffer, 0, buffer.length);
  }

  public int position() {
    return position;
  }

  public int remaining() {
    return end - position;
  }

  public byte[] array() {
    return buffer;
  }

  /** Checks that {@code count} more bytes are available and returns the current position. */
  public int require(long count, String what) {
    if (count < 0 || count > end - position) {
      throw new FormatException(
          what + " needs " + count + " bytes but only " + (end - position) + " remain");
    }
    return position;
  }

  public void skip(int count, String what) {
    require(count, what);
    position += count;
  }

  public int readUnsignedByte() {
    require(1, "byte");
    return buffer[position++] & 0xFF;
  }

  public int readUnsignedShort() {
    require(2, "short");
    int value = (short) SHORTS.get(buffer, position) & 0xFFFF;
    position += 2;
    return value;
  }

  public int readInt() {
    require(4, "int");
    int value = (int) INTS.get(buffer, position);
    position += 4;
    return value;
  }

  /** Reads a non-negative 32-bit count; a negative one means corruption. */
  public int readCount(String what) {
    int value = readInt();
    if (value < 0) {
      throw new FormatException("negative " + what + " " + value);
    }
    return value;
  }

  public long readLong() {
    require(8, "long");
    long value = (long) LONGS.get(buffer, position);
    position += 8;
    return value;
  }

  public void readLongs(long[] destination, int offset, int count) {
    require(count * 8L, count + " longs");
    for (int i = 0; i < count; i++) {
      destination[offset + i] = (long) LONGS.get(buffer, position);
      position += 8;
    }
  }

  public void readBytes(byte[] destination, int offset, int length) {
    require(length, length + " bytes");
    System.arraycopy(buffer, position, destination, offset, length);
    position += length;
  }

  public byte[] readBytes(int length) {
    byte[] bytes = new byte[length];
    readBytes(bytes, 0, length);
    return bytes;
  }

  /** Fails unless every byte has been consumed. */
  public void expectEnd(String what) {
    if (position != end) {
      throw new FormatException((end - position) + " unexpected bytes after " + what);
    }
  }
}
