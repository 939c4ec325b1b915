package dev.basalt.storage.index;

import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * Encodes the key columns of a row into one byte string whose unsigned byte order is the order
 * segments are sorted in (NULL first, then by value; docs/format.md §11 specifies the bytes), so
 * that primary-key indexes compare keys with one {@link Arrays#compareUnsigned} call.
 *
 * <p>Not thread safe: an encoder reuses one scratch buffer; each thread uses its own.
 */
public final class PrimaryKeyEncoder {
  private byte[] scratch = new byte[64];
  private int length;

  /** The encoded key of {@code row} over {@code keys} (the key columns in key order). */
  public byte[] encode(ColumnVector[] keys, int row) {
    length = 0;
    for (ColumnVector key : keys) {
      append(key, row);
    }
    return Arrays.copyOf(scratch, length);
  }

  private void append(ColumnVector vector, int row) {
    if (vector.isNull(row)) {
      ensure(1);
      scratch[length++] = 0;
      return;
    }
    ensure(1);
    scratch[length++] = 1;
    switch (vector) {
      case LongVector longs -> writeLong(longs.getLong(row) ^ Long.MIN_VALUE);
      case DoubleVector doubles -> {
        long bits = Double.doubleToLongBits(doubles.getDouble(row));
        writeLong(bits < 0 ? ~bits : bits ^ Long.MIN_VALUE);
      }
      case DecimalVector decimals ->
          writeInt128(decimals.getDecimal(row).setScale(vector.type().scale()).unscaledValue());
      case LargeIntVector large -> writeInt128(large.getLargeInt(row));
      case BytesVector bytes -> {
        byte[] raw = bytes.rawBytes();
        int start = bytes.offset(row);
        int end = start + bytes.byteLength(row);
        // 0x00 is escaped as 0x00 0x01 and the string ends with 0x00 0x00, so a prefix sorts
        // before its extensions and no string's encoding is a prefix of another's.
        ensure(2 * (end - start) + 2);
        for (int i = start; i < end; i++) {
          byte b = raw[i];
          scratch[length++] = b;
          if (b == 0) {
            scratch[length++] = 1;
          }
        }
        scratch[length++] = 0;
        scratch[length++] = 0;
      }
    }
  }

  private void writeLong(long value) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      scratch[length++] = (byte) (value >>> shift);
    }
  }

  private void writeInt128(BigInteger value) {
    ensure(16);
    byte[] bigEndian = value.toByteArray();
    if (bigEndian.length > 16) {
      throw new IllegalArgumentException("key value " + value + " does not fit in 128 bits");
    }
    byte fill = value.signum() < 0 ? (byte) 0xFF : 0;
    int pad = 16 - bigEndian.length;
    for (int i = 0; i < 16; i++) {
      byte b = i < pad ? fill : bigEndian[i - pad];
      scratch[length++] = i == 0 ? (byte) (b ^ 0x80) : b;
    }
  }

  private void ensure(int more) {
    if (length + more > scratch.length) {
      scratch = Arrays.copyOf(scratch, Math.max(scratch.length * 2, length + more));
    }
  }
}
