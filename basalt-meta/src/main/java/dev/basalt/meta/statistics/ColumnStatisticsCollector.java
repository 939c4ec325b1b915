package dev.basalt.meta.statistics;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.common.vector.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Accumulates the statistics of one column over the batches of a table scan: NDV in a {@link
 * HyperLogLog}, exact NULL count, min, max and data size. Memory is constant (16 KiB plus the
 * current min and max), whatever the table's size.
 *
 * <p>Call {@link #add} for each batch's vector of the column, then {@link #result} once. Not thread
 * safe.
 */
public final class ColumnStatisticsCollector {
  private final int columnId;
  private final String columnName;
  private final DataType type;
  private final HyperLogLog distinct = new HyperLogLog();
  private long count;
  private long nullCount;
  private long dataSize;
  private boolean seen;
  private long minLong;
  private long maxLong;
  private double minDouble;
  private double maxDouble;
  private Comparable<?> minObject;
  private Comparable<?> maxObject;
  private byte[] minBytes;
  private byte[] maxBytes;

  public ColumnStatisticsCollector(int columnId, String columnName, DataType type) {
    this.columnId = columnId;
    this.columnName = columnName;
    this.type = type;
  }

  /** Adds the rows of one vector of this column. */
  public void add(ColumnVector vector) {
    int size = vector.size();
    count += size;
    switch (vector) {
      case LongVector longs -> addLongs(longs, size);
      case DoubleVector doubles -> addDoubles(doubles, size);
      case DecimalVector decimals -> addDecimals(decimals, size);
      case LargeIntVector largeInts -> addLargeInts(largeInts, size);
      case BytesVector bytes -> addBytes(bytes, size);
    }
  }

  private void addLongs(LongVector vector, int size) {
    boolean nulls = vector.mayHaveNulls();
    for (int row = 0; row < size; row++) {
      if (nulls && vector.isNull(row)) {
        nullCount++;
        continue;
      }
      long value = vector.getLong(row);
      distinct.addHash(HyperLogLog.mix(value));
      if (!seen) {
        seen = true;
        minLong = value;
        maxLong = value;
      } else if (value < minLong) {
        minLong = value;
      } else if (value > maxLong) {
        maxLong = value;
      }
    }
  }

  private void addDoubles(DoubleVector vector, int size) {
    boolean nulls = vector.mayHaveNulls();
    for (int row = 0; row < size; row++) {
      if (nulls && vector.isNull(row)) {
        nullCount++;
        continue;
      }
      double value = vector.getDouble(row);
      // -0.0 and 0.0 are one value, as they are in GROUP BY.
      double normalized = value == 0.0 ? 0.0 : value;
      distinct.addHash(HyperLogLog.mix(Double.doubleToLongBits(normalized)));
      if (!seen) {
        seen = true;
        minDouble = normalized;
        maxDouble = normalized;
      } else if (Double.compare(normalized, minDouble) < 0) {
        minDouble = normalized;
      } else if (Double.compare(normalized, maxDouble) > 0) {
        maxDouble = normalized;
      }
    }
  }

  private void addDecimals(DecimalVector vector, int size) {
    for (int row = 0; row < size; row++) {
      BigDecimal value = vector.getDecimal(row);
      if (value == null) {
        nullCount++;
        continue;
      }
      // One hash per numeric value whatever its scale (1.50 and 1.5 are equal).
      BigDecimal canonical = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
      distinct.addHash(
          HyperLogLog.mix(
              canonical.unscaledValue().longValue() ^ HyperLogLog.mix(canonical.scale())));
      updateObjectBounds(value);
    }
  }

  private void addLargeInts(LargeIntVector vector, int size) {
    for (int row = 0; row < size; row++) {
      BigInteger value = vector.getLargeInt(row);
      if (value == null) {
        nullCount++;
        continue;
      }
      distinct.addHash(
          HyperLogLog.mix(value.longValue() ^ HyperLogLog.mix(value.shiftRight(64).longValue())));
      updateObjectBounds(value);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void updateObjectBounds(Comparable value) {
    if (!seen) {
      seen = true;
      minObject = value;
      maxObject = value;
    } else if (value.compareTo(minObject) < 0) {
      minObject = value;
    } else if (value.compareTo(maxObject) > 0) {
      maxObject = value;
    }
  }

  private void addBytes(BytesVector vector, int size) {
    boolean nulls = vector.mayHaveNulls();
    byte[] raw = vector.rawBytes();
    for (int row = 0; row < size; row++) {
      if (nulls && vector.isNull(row)) {
        nullCount++;
        continue;
      }
      int offset = vector.offset(row);
      int length = vector.byteLength(row);
      dataSize += length;
      distinct.addHash(HyperLogLog.hashBytes(raw, offset, length));
      if (!seen) {
        seen = true;
        minBytes = Arrays.copyOfRange(raw, offset, offset + length);
        maxBytes = minBytes;
      } else if (Arrays.compareUnsigned(raw, offset, offset + length, minBytes, 0, minBytes.length)
          < 0) {
        minBytes = Arrays.copyOfRange(raw, offset, offset + length);
      } else if (Arrays.compareUnsigned(raw, offset, offset + length, maxBytes, 0, maxBytes.length)
          > 0) {
        maxBytes = Arrays.copyOfRange(raw, offset, offset + length);
      }
    }
  }

  /** The statistics of everything added so far. */
  public ColumnStatistics result() {
    long nonNull = count - nullCount;
    if (!type.kind().isString()) {
      dataSize = nonNull * fixedWidth(type.kind());
    }
    long ndv = Math.min(distinct.estimate(), nonNull);
    if (!seen) {
      return new ColumnStatistics(
          columnId, columnName, count, 0, nullCount, dataSize, null, null, null, null);
    }
    return switch (type.kind().physical()) {
      case LONG ->
          new ColumnStatistics(
              columnId,
              columnName,
              count,
              ndv,
              nullCount,
              dataSize,
              longText(minLong),
              longText(maxLong),
              (double) minLong,
              (double) maxLong);
      case DOUBLE ->
          new ColumnStatistics(
              columnId,
              columnName,
              count,
              ndv,
              nullCount,
              dataSize,
              Double.toString(minDouble),
              Double.toString(maxDouble),
              minDouble,
              maxDouble);
      case DECIMAL, LARGEINT ->
          new ColumnStatistics(
              columnId,
              columnName,
              count,
              ndv,
              nullCount,
              dataSize,
              objectText(minObject),
              objectText(maxObject),
              ((Number) minObject).doubleValue(),
              ((Number) maxObject).doubleValue());
      case BYTES ->
          new ColumnStatistics(
              columnId,
              columnName,
              count,
              ndv,
              nullCount,
              dataSize,
              new String(minBytes, StandardCharsets.UTF_8),
              new String(maxBytes, StandardCharsets.UTF_8),
              null,
              null);
    };
  }

  private String longText(long value) {
    return switch (type.kind()) {
      case DATE -> Values.dateFromEpochDay(value).toString();
      case DATETIME -> Values.datetimeFromEpochMicros(value).toString().replace('T', ' ');
      default -> Long.toString(value);
    };
  }

  private static String objectText(Object value) {
    return value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString();
  }

  private static int fixedWidth(TypeKind kind) {
    return switch (kind) {
      case BOOLEAN, TINYINT -> 1;
      case SMALLINT -> 2;
      case INT, FLOAT, DATE -> 4;
      case LARGEINT, DECIMAL -> 16;
      case NULL -> 0;
      default -> 8;
    };
  }
}
