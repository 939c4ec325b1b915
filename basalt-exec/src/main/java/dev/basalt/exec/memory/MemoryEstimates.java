package dev.basalt.exec.memory;

import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * Estimates of the heap bytes that buffered values take on a 64-bit JVM with compressed pointers,
 * for {@link MemoryReservation}s. They are deliberately simple (object headers, fields, array
 * payloads) and cheap enough to call once per buffered row; they are not measurements.
 */
public final class MemoryEstimates {
  /** Object header of an array: mark word, class pointer, length. */
  private static final int ARRAY_HEADER = 16;

  /** A reference inside an array or object. */
  private static final int REFERENCE = 4;

  private MemoryEstimates() {}

  /** A boxed row ({@code Object[]}) with its values, plus the reference that holds it. */
  public static long row(Object[] row) {
    long bytes = ARRAY_HEADER + (long) REFERENCE * row.length + REFERENCE;
    for (Object value : row) {
      bytes += value(value);
    }
    return bytes;
  }

  /** One boxed value in the representation of {@link dev.basalt.common.vector.Values}. */
  public static long value(Object value) {
    return switch (value) {
      case null -> 0;
      case Boolean ignored -> 0;
      case Long ignored -> 16;
      case Double ignored -> 16;
      case String text -> 24 + ARRAY_HEADER + text.length();
      case BigDecimal decimal -> 40 + 24 + decimal.unscaledValue().bitLength() / 8;
      case BigInteger integer -> 40 + ARRAY_HEADER + integer.bitLength() / 8;
      case LocalDate ignored -> 24;
      case LocalDateTime ignored -> 24 + 24 + 24;
      case byte[] bytes -> ARRAY_HEADER + bytes.length;
      default -> 32;
    };
  }

  /** A batch of column vectors. */
  public static long batch(Batch batch) {
    long bytes = 64;
    for (ColumnVector column : batch.columns()) {
      bytes += vector(column);
    }
    return bytes;
  }

  /** One column vector with its null map. */
  public static long vector(ColumnVector vector) {
    long rows = vector.size();
    return switch (vector) {
      case LongVector ignored -> 48 + rows * 9;
      case DoubleVector ignored -> 48 + rows * 9;
      case BytesVector bytes -> 64 + bytes.rawBytes().length + rows * 5;
      case DecimalVector decimals when decimals.isScaledLong() -> 48 + rows * 9;
      case DecimalVector decimals when decimals.isInt128() -> 64 + rows * 17;
      case DecimalVector decimals -> {
        long total = 48 + rows * REFERENCE;
        for (int row = 0; row < rows; row++) {
          total += value(decimals.getDecimal(row));
        }
        yield total;
      }
      case LargeIntVector ignored -> 64 + rows * 17;
    };
  }
}
