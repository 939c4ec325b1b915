package dev.basalt.common.vector;

import dev.basalt.common.type.DataType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A vector of strings stored as one UTF-8 byte array with offsets: row {@code i} spans {@code
 * bytes[offsets[i] .. offsets[i + 1])}.
 */
public final class BytesVector implements ColumnVector {
  private final DataType type;
  private final byte[] bytes;
  private final int[] offsets;
  private final boolean[] nulls;
  private final int size;
  private final boolean mayHaveNulls;

  /** Takes ownership of the arrays; {@code offsets} has {@code size + 1} entries. */
  public BytesVector(DataType type, byte[] bytes, int[] offsets, boolean[] nulls, int size) {
    this.type = type;
    this.bytes = bytes;
    this.offsets = offsets;
    this.nulls = nulls;
    this.size = size;
    this.mayHaveNulls = NullMask.anyNull(nulls, size);
  }

  @Override
  public DataType type() {
    return type;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isNull(int row) {
    return NullMask.isNull(nulls, row);
  }

  @Override
  public boolean mayHaveNulls() {
    return mayHaveNulls;
  }

  @Override
  public BytesVector withType(DataType other) {
    return new BytesVector(other, bytes, offsets, nulls, size);
  }

  /** A copy of the UTF-8 bytes at {@code row}. */
  public byte[] getBytes(int row) {
    return Arrays.copyOfRange(bytes, offsets[row], offsets[row + 1]);
  }

  /**
   * The shared backing array, for kernels that scan bytes without copying; row {@code i} spans
   * {@code [offset(i), offset(i) + byteLength(i))}. Callers must not modify it.
   */
  public byte[] rawBytes() {
    return bytes;
  }

  /** Where row {@code row} starts in {@link #rawBytes()}. */
  public int offset(int row) {
    return offsets[row];
  }

  public int byteLength(int row) {
    return offsets[row + 1] - offsets[row];
  }

  public String getString(int row) {
    return new String(bytes, offsets[row], offsets[row + 1] - offsets[row], StandardCharsets.UTF_8);
  }

  /**
   * A string, or for a sketch type ({@link dev.basalt.common.type.TypeKind#isSketch}) its bytes.
   */
  @Override
  public Object getObject(int row) {
    if (isNull(row)) {
      return null;
    }
    return type.kind().isSketch() ? getBytes(row) : getString(row);
  }
}
