package dev.basalt.exec.hash;

import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.Int128;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * Writes the key columns of one row into a reused byte buffer, so that rows with equal keys give
 * equal bytes: per column a null flag (0 for NULL), then 8 bytes for a long or a double, or a
 * length and the bytes for a string, or scale, length and unscaled integer for a DECIMAL (equal
 * values of one scale, as {@link BigDecimal#equals}), or length and integer for a LARGEINT. An
 * unscaled integer that fits in 64 bits is the length 8 and the long, a wider one its minimal
 * two's-complement bytes (9 to 16); scaled-long and 128-bit {@link DecimalVector}s and {@link
 * LargeIntVector}s write them without boxing ({@link Int128}), so equal values of one scale give
 * equal bytes whatever their layout.
 *
 * <p>DOUBLE values are normalized first ({@link #doubleKey}): -0.0 is 0.0 and every NaN is one NaN,
 * so that values SQL considers equal meet in one group or join bucket. The keys of both sides of a
 * join must have the same physical layouts. Not thread safe; the buffer is overwritten by each
 * call.
 */
public final class KeySerializer {
  private byte[] buffer = new byte[64];

  /** The bits of a DOUBLE key: -0.0 as 0.0, every NaN as the canonical NaN. */
  public static long doubleKey(double value) {
    return Double.doubleToLongBits(value == 0.0 ? 0.0 : value);
  }

  /** Serializes row {@code row} of {@code keys}; returns the length written to {@link #buffer}. */
  public int serialize(List<ColumnVector> keys, int row) {
    int length = 0;
    for (int i = 0; i < keys.size(); i++) {
      length = serialize(keys.get(i), row, length);
    }
    return length;
  }

  /**
   * Writes a 128-bit integer as the boxed path would: the scaled-long bytes when it fits a long,
   * else its minimal two's-complement bytes ({@link BigInteger#toByteArray()}'s), without boxing.
   */
  private int putInt128(int position, int scale, long high, long low) {
    if (Int128.fitsLong(high, low)) {
      return putLong(putInt(putInt(putFlag(position), scale), Long.BYTES), low);
    }
    int length = Int128.minimalByteLength(high, low);
    int start = putInt(putInt(putFlag(position), scale), length);
    reserve(start + length);
    Int128.writeBigEndian(high, low, buffer, start, length);
    return start + length;
  }

  /** The buffer the last {@link #serialize} wrote to. */
  public byte[] buffer() {
    return buffer;
  }

  private int serialize(ColumnVector key, int row, int position) {
    if (key.isNull(row)) {
      reserve(position + 1);
      buffer[position] = 0;
      return position + 1;
    }
    switch (key) {
      case LongVector longs -> {
        return putLong(putFlag(position), longs.getLong(row));
      }
      case DoubleVector doubles -> {
        return putLong(putFlag(position), doubleKey(doubles.getDouble(row)));
      }
      case BytesVector bytes -> {
        int length = bytes.byteLength(row);
        int start = putInt(putFlag(position), length);
        reserve(start + length);
        System.arraycopy(bytes.rawBytes(), bytes.offset(row), buffer, start, length);
        return start + length;
      }
      case DecimalVector decimals when decimals.isScaledLong() -> {
        return putLong(
            putInt(putInt(putFlag(position), decimals.scale()), Long.BYTES),
            decimals.getUnscaled(row));
      }
      case DecimalVector decimals when decimals.isInt128() -> {
        return putInt128(position, decimals.scale(), decimals.getHigh(row), decimals.getLow(row));
      }
      case LargeIntVector integers -> {
        return putInt128(position, 0, integers.getHigh(row), integers.getLow(row));
      }
      default -> {
        Object value = key.getObject(row);
        BigInteger unscaled;
        int scale = 0;
        if (value instanceof BigDecimal decimal) {
          if (key instanceof DecimalVector decimals && decimal.scale() < decimals.scale()) {
            // As the scaled-long layout writes it: at the type's scale.
            decimal = decimal.setScale(decimals.scale());
          }
          unscaled = decimal.unscaledValue();
          scale = decimal.scale();
        } else {
          unscaled = (BigInteger) value;
        }
        if (unscaled.bitLength() < Long.SIZE) {
          // The scaled-long layout's bytes, so that equal values meet whatever their layout.
          return putLong(
              putInt(putInt(putFlag(position), scale), Long.BYTES), unscaled.longValue());
        }
        byte[] payload = unscaled.toByteArray();
        int start = putInt(putInt(putFlag(position), scale), payload.length);
        reserve(start + payload.length);
        System.arraycopy(payload, 0, buffer, start, payload.length);
        return start + payload.length;
      }
    }
  }

  private int putFlag(int position) {
    reserve(position + 1);
    buffer[position] = 1;
    return position + 1;
  }

  private int putLong(int position, long value) {
    reserve(position + 8);
    for (int i = 0; i < 8; i++) {
      buffer[position + i] = (byte) (value >>> (8 * i));
    }
    return position + 8;
  }

  private int putInt(int position, int value) {
    reserve(position + 4);
    for (int i = 0; i < 4; i++) {
      buffer[position + i] = (byte) (value >>> (8 * i));
    }
    return position + 4;
  }

  private void reserve(int size) {
    if (size > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(size, buffer.length * 2));
    }
  }
}
