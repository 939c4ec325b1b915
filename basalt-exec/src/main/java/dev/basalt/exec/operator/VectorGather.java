package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LongVector;
import java.util.List;

/**
 * Concatenates column vectors with typed loops (no boxing for longs, doubles and strings): a join's
 * build side. Chosen rows are gathered by {@link dev.basalt.common.vector.ColumnVectors#take}.
 * Stateless.
 */
final class VectorGather {
  private VectorGather() {}

  /** One vector with the rows of {@code parts} (all of {@code type}) one after the other. */
  static ColumnVector concatenate(DataType type, List<ColumnVector> parts) {
    int total = 0;
    for (ColumnVector part : parts) {
      total += part.size();
    }
    ColumnVectorBuilder builder = new ColumnVectorBuilder(type, total);
    long bytes = 0;
    for (ColumnVector part : parts) {
      if (part instanceof BytesVector strings) {
        for (int row = 0; row < strings.size(); row++) {
          bytes += strings.isNull(row) ? 0 : strings.byteLength(row);
        }
      }
    }
    if (bytes > 0) {
      builder.reserveBytes(Math.toIntExact(bytes));
    }
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
