package dev.basalt.storage.encoding;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable byte buffer that writes little-endian integers, used to build page bodies and footers
 * in memory before they are compressed or written. Used by one thread; reusable after {@link
 * #reset()}.
 */
public final class LittleEndianOutput {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORTS =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] buffer;
  private int size;

  public LittleEndianOutput(int initialCapacity) {
    buffer = new byte[Math.max(initialCapacity, 16)];
  }

  public void reset() {
    size = 0;
  }

  public int size() {
    return size;
  }

  /** The backing array; bytes {@code [0, size())} are valid. Invalidated by the next write. */
  public byte[] array() {
    return buffer;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  /** Makes room for {@code additional} more bytes. */
  public void ensureCapacity(int additional) {
    long needed = (long) size + additional;
    if (needed > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("buffer would exceed 2 GiB");
    }
    if (needed > buffer.length) {
      buffer =
          Arrays.copyOf(
              buffer, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, buffer.length * 2L)));
    }
  }

  public void writeByte(int value) {
    ensureCapacity(1);
    buffer[size++] = (byte) value;
  }

  public void writeShort(int value) {
    ensureCapacity(2);
    SHORTS.set(buffer, size, (short) value);
    size += 2;
  }

  public void writeInt(int value) {
    ensureCapacity(4);
    INTS.set(buffer, size, value);
    size += 4;
  }

  public void writeLong(long value) {
    ensureCapacity(8);
    LONGS.set(buffer, size, value);
    size += 8;
  }

  /** Writes {@code count} longs of {@code values} starting at {@code offset}. */
  public void writeLongs(long[] values, int offset, int count) {
    ensureCapacity(count * 8);
    for (int i = 0; i < count; i++) {
      LONGS.set(buffer, size, values[offset + i]);
      size += 8;
    }
  }

  public void writeBytes(byte[] bytes, int offset, int length) {
    ensureCapacity(length);
    System.arraycopy(bytes, offset, buffer, size, length);
    size += length;
  }

  /** Overwrites four bytes at {@code position}, which must already have been written. */
  public void setInt(int position, int value) {
    INTS.set(buffer, position, value);
  }
}
