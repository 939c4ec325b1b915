package dev.basalt.common.vector;

import dev.basalt.common.type.DataType;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Typed copies of chosen rows of column vectors (no boxing for longs, doubles, strings, unboxed
 * decimals and LARGEINTs): the gather step of filters, join output and late-materialized scans. A
 * string vector's dictionary codes ({@link BytesVector#hasDictionary}) are gathered with its bytes.
 * Stateless.
 */
public final class ColumnVectors {
  private ColumnVectors() {}

  /**
   * A vector of {@code count} rows whose row i is row {@code positions[i]} of {@code source}, or
   * NULL where the position is negative (outer-join padding).
   */
  public static ColumnVector take(ColumnVector source, int[] positions, int count) {
    DataType type = source.type();
    switch (source) {
      case LongVector longs -> {
        long[] values = new long[count];
        boolean[] nulls = null;
        for (int i = 0; i < count; i++) {
          int position = positions[i];
          if (position < 0 || longs.isNull(position)) {
            nulls = nulls == null ? new boolean[count] : nulls;
            nulls[i] = true;
          } else {
            values[i] = longs.getLong(position);
          }
        }
        return new LongVector(type, values, nulls, count);
      }
      case DoubleVector doubles -> {
        double[] values = new double[count];
        boolean[] nulls = null;
        for (int i = 0; i < count; i++) {
          int position = positions[i];
          if (position < 0 || doubles.isNull(position)) {
            nulls = nulls == null ? new boolean[count] : nulls;
            nulls[i] = true;
          } else {
            values[i] = doubles.getDouble(position);
          }
        }
        return new DoubleVector(type, values, nulls, count);
      }
      case BytesVector strings -> {
        int total = 0;
        for (int i = 0; i < count; i++) {
          int position = positions[i];
          if (position >= 0 && !strings.isNull(position)) {
            total += strings.byteLength(position);
          }
        }
        byte[] bytes = new byte[total];
        int[] offsets = new int[count + 1];
        boolean[] nulls = null;
        byte[] raw = strings.rawBytes();
        int written = 0;
        for (int i = 0; i < count; i++) {
          int position = positions[i];
          if (position < 0 || strings.isNull(position)) {
            nulls = nulls == null ? new boolean[count] : nulls;
            nulls[i] = true;
          } else {
            int length = strings.byteLength(position);
            System.arraycopy(raw, strings.offset(position), bytes, written, length);
            written += length;
          }
          offsets[i + 1] = written;
        }
        BytesVector gathered = new BytesVector(type, bytes, offsets, nulls, count);
        if (!strings.hasDictionary()) {
          return gathered;
        }
        // The codes come along, so that filters and GROUP BY above still work per entry; they are
        // gathered only if one of them asks (the positions are copied: callers reuse theirs).
        int[] taken = Arrays.copyOf(positions, count);
        int[] filled = strings.filledDictionaryCodes();
        BytesVector.CodeSource unfilled = strings.dictionaryCodeSource();
        int sourceSize = strings.size();
        BytesVector.CodeSource codes =
            (into, rows) -> {
              int[] sourceCodes = filled;
              if (sourceCodes == null) {
                sourceCodes = new int[sourceSize];
                unfilled.fill(sourceCodes, sourceSize);
              }
              for (int i = 0; i < rows; i++) {
                int position = taken[i];
                into[i] = position < 0 ? 0 : sourceCodes[position];
              }
            };
        return gathered.withDictionary(codes, strings.dictionary());
      }
      case DecimalVector decimals when decimals.isScaledLong() -> {
        long[] values = new long[count];
        boolean[] nulls = null;
        for (int i = 0; i < count; i++) {
          int position = positions[i];
          if (position < 0 || decimals.isNull(position)) {
            nulls = nulls == null ? new boolean[count] : nulls;
            nulls[i] = true;
          } else {
            values[i] = decimals.getUnscaled(position);
          }
        }
        return new DecimalVector(type, values, nulls, count);
      }
      case DecimalVector decimals when decimals.isInt128() -> {
        Halves halves =
            Halves.gather(positions, count, decimals::isNull, decimals::getHigh, decimals::getLow);
        return new DecimalVector(type, halves.highs(), halves.lows(), halves.nulls(), count);
      }
      case LargeIntVector integers -> {
        Halves halves =
            Halves.gather(positions, count, integers::isNull, integers::getHigh, integers::getLow);
        return new LargeIntVector(type, halves.highs(), halves.lows(), halves.nulls(), count);
      }
      case DecimalVector decimals -> {
        BigDecimal[] values = new BigDecimal[count];
        for (int i = 0; i < count; i++) {
          int position = positions[i];
          values[i] = position < 0 ? null : decimals.getDecimal(position);
        }
        return new DecimalVector(type, values, count);
      }
      default -> {
        ColumnVectorBuilder builder = new ColumnVectorBuilder(type, count);
        for (int i = 0; i < count; i++) {
          if (positions[i] < 0) {
            builder.appendNull();
          } else {
            builder.appendFrom(source, positions[i]);
          }
        }
        return builder.build();
      }
    }
  }

  /** The 128-bit halves of chosen rows and their nulls (null when none is). */
  private record Halves(long[] highs, long[] lows, boolean[] nulls) {
    /** Gathers {@code positions[0..count)}; a negative position is a null row. */
    static Halves gather(
        int[] positions,
        int count,
        java.util.function.IntPredicate isNull,
        java.util.function.IntToLongFunction high,
        java.util.function.IntToLongFunction low) {
      long[] highs = new long[count];
      long[] lows = new long[count];
      boolean[] nulls = null;
      for (int i = 0; i < count; i++) {
        int position = positions[i];
        if (position < 0 || isNull.test(position)) {
          nulls = nulls == null ? new boolean[count] : nulls;
          nulls[i] = true;
        } else {
          highs[i] = high.applyAsLong(position);
          lows[i] = low.applyAsLong(position);
        }
      }
      return new Halves(highs, lows, nulls);
    }
  }
}
