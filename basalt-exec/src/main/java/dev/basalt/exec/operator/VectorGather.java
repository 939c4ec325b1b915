package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LongVector;
import java.util.List;

/**
 * Copies chosen rows of column vectors into new vectors with typed loops (no boxing for longs,
 * doubles and strings): the gather step of a join's output and the concatenation of its build side.
 * Stateless.
 */
final class VectorGather {
  private VectorGather() {}

  /**
   * A vector of {@code count} rows whose row i is row {@code positions[i]} of {@code source}, or
   * NULL where the position is negative (outer-join padding).
   */
  static ColumnVector take(ColumnVector source, int[] positions, int count) {
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
        return new BytesVector(type, bytes, offsets, nulls, count);
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

  /** One vector with the rows of {@code parts} (all of {@code type}) one after the other. */
  static ColumnVector concatenate(DataType type, List<ColumnVector> parts) {
    int total = 0;
    for (ColumnVector part : parts) {
      total += part.size();
    }
    ColumnVectorBuilder builder = new ColumnVectorBuilder(type, total);
    for (ColumnVector part : parts) {
      switch (part) {
        case LongVector longs -> {
          for (int row = 0; row < longs.size(); row++) {
            if (longs.isNull(row)) {
              builder.appendNull();
            } else {
              builder.appendLong(longs.getLong(row));
            }
          }
        }
        case DoubleVector doubles -> {
          for (int row = 0; row < doubles.size(); row++) {
            if (doubles.isNull(row)) {
              builder.appendNull();
            } else {
              builder.appendDouble(doubles.getDouble(row));
            }
          }
        }
        case BytesVector strings -> {
          for (int row = 0; row < strings.size(); row++) {
            if (strings.isNull(row)) {
              builder.appendNull();
            } else {
              builder.appendBytes(strings.rawBytes(), strings.offset(row), strings.byteLength(row));
            }
          }
        }
        default -> {
          for (int row = 0; row < part.size(); row++) {
            builder.appendFrom(part, row);
          }
        }
      }
    }
    return builder.build();
  }
}
