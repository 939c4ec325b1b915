package dev.basalt.storage.tablet;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * AGGREGATE KEY: each value column combines the rows of a key with its aggregation (SUM, MIN, MAX,
 * REPLACE, REPLACE_IF_NOT_NULL), with the same rules as the read-time merge: NULL is ignored by
 * SUM, MIN and MAX, REPLACE_IF_NOT_NULL keeps the newest non-NULL value. Sums stay in the column's
 * physical type (BIGINT overflow is an error, as at read time). HLL_UNION, BITMAP_UNION and
 * QUANTILE_UNION union the serialized sketches ({@link SketchUnion}).
 */
final class AggregateMergeFunction implements MergeFunction {
  private final ColumnFolder[] folders;

  AggregateMergeFunction(List<MergeColumn> columns, SketchUnion.Factory sketches) {
    folders = new ColumnFolder[columns.size()];
    for (int i = 0; i < folders.length; i++) {
      MergeColumn column = columns.get(i);
      folders[i] =
          switch (column.aggregation()) {
            case SUM -> new SumFolder(column.name());
            case MIN -> new PickFolder(Pick.MIN);
            case MAX -> new PickFolder(Pick.MAX);
            case REPLACE_IF_NOT_NULL -> new PickFolder(Pick.NEWEST_NOT_NULL);
            case SKETCH_UNION -> new SketchFolder(sketches);
            case KEY -> new PickFolder(Pick.OLDEST);
            case REPLACE -> new PickFolder(Pick.NEWEST);
          };
    }
  }

  @Override
  public boolean keepsEveryRow() {
    return false;
  }

  @Override
  public void reset(Batch batch, int row) {
    for (int column = 0; column < folders.length; column++) {
      folders[column].reset(batch.column(column), row);
    }
  }

  @Override
  public void add(Batch batch, int row) {
    for (int column = 0; column < folders.length; column++) {
      folders[column].add(batch.column(column), row);
    }
  }

  @Override
  public void emit(ColumnVectorBuilder[] output) {
    for (int column = 0; column < folders.length; column++) {
      folders[column].emit(output[column]);
    }
  }

  /** Combines one column's values of one key. */
  private abstract static class ColumnFolder {
    abstract void reset(ColumnVector vector, int row);

    abstract void add(ColumnVector vector, int row);

    abstract void emit(ColumnVectorBuilder output);
  }

  private enum Pick {
    OLDEST,
    NEWEST,
    NEWEST_NOT_NULL,
    MIN,
    MAX
  }

  /** Keeps one of the rows' values (by position, without copying it until {@link #emit}). */
  private static final class PickFolder extends ColumnFolder {
    private final Pick pick;
    private ColumnVector vector;
    private int row;

    PickFolder(Pick pick) {
      this.pick = pick;
    }

    @Override
    void reset(ColumnVector newVector, int newRow) {
      vector = newVector;
      row = newRow;
    }

    @Override
    void add(ColumnVector newVector, int newRow) {
      boolean take =
          switch (pick) {
            case OLDEST -> false;
            case NEWEST -> true;
            case NEWEST_NOT_NULL -> !newVector.isNull(newRow);
            case MIN, MAX -> {
              if (newVector.isNull(newRow)) {
                yield false;
              }
              if (vector.isNull(row)) {
                yield true;
              }
              int order = KeyComparator.compare(newVector, newRow, vector, row);
              // Ties keep the older value, as the read-time merge does.
              yield pick == Pick.MIN ? order < 0 : order > 0;
            }
          };
      if (take) {
        vector = newVector;
        row = newRow;
      }
    }

    @Override
    void emit(ColumnVectorBuilder output) {
      output.appendFrom(vector, row);
      vector = null;
    }
  }

  /** Unions the key's sketches; a NULL sketch contributes nothing, all-NULL stays NULL. */
  private static final class SketchFolder extends ColumnFolder {
    private final SketchUnion.Factory sketches;
    private SketchUnion union;

    SketchFolder(SketchUnion.Factory sketches) {
      this.sketches = sketches;
    }

    @Override
    void reset(ColumnVector vector, int row) {
      union = null;
      add(vector, row);
    }

    @Override
    void add(ColumnVector vector, int row) {
      if (vector.isNull(row)) {
        return;
      }
      if (union == null) {
        union = sketches.union(vector.type().kind());
      }
      BytesVector bytes = (BytesVector) vector;
      union.add(bytes.rawBytes(), bytes.offset(row), bytes.byteLength(row));
    }

    @Override
    void emit(ColumnVectorBuilder output) {
      if (union == null) {
        output.appendNull();
        return;
      }
      byte[] merged = union.serialize();
      output.appendBytes(merged, 0, merged.length);
      union = null;
    }
  }

  /** SUM in the column's physical type; NULL contributes nothing, all-NULL stays NULL. */
  private static final class SumFolder extends ColumnFolder {
    private final String columnName;
    private boolean isNull;
    private long longSum;
    private double doubleSum;
    private BigDecimal decimalSum;
    private BigInteger largeSum;

    SumFolder(String columnName) {
      this.columnName = columnName;
    }

    @Override
    void reset(ColumnVector vector, int row) {
      isNull = true;
      longSum = 0;
      doubleSum = 0;
      decimalSum = null;
      largeSum = null;
      add(vector, row);
    }

    @Override
    void add(ColumnVector vector, int row) {
      if (vector.isNull(row)) {
        return;
      }
      isNull = false;
      switch (vector) {
        case LongVector v -> {
          try {
            longSum = Math.addExact(longSum, v.getLong(row));
          } catch (ArithmeticException overflow) {
            throw new BasaltException(
                ErrorCode.VALUE_OUT_OF_RANGE, "BIGINT", "SUM(" + columnName + ")");
          }
        }
        case DoubleVector v -> doubleSum += v.getDouble(row);
        case DecimalVector v ->
            decimalSum = decimalSum == null ? v.getDecimal(row) : decimalSum.add(v.getDecimal(row));
        case LargeIntVector v ->
            largeSum = largeSum == null ? v.getLargeInt(row) : largeSum.add(v.getLargeInt(row));
        case BytesVector v ->
            throw new IllegalStateException("SUM over a string column " + columnName);
      }
    }

    @Override
    void emit(ColumnVectorBuilder output) {
      if (isNull) {
        output.appendNull();
        return;
      }
      switch (output.type().physical()) {
        case LONG -> {
          // The sum keeps the column's type, as at read time: a SMALLINT SUM column holds at most
          // 32767. Out of range, the compaction fails and leaves its inputs as they were.
          if (!fits(longSum, output.type())) {
            throw new BasaltException(
                ErrorCode.VALUE_OUT_OF_RANGE,
                output.type().sqlName().toUpperCase(java.util.Locale.ROOT),
                "SUM(" + columnName + ") = " + longSum);
          }
          output.appendLong(longSum);
        }
        case DOUBLE -> output.appendDouble(doubleSum);
        case DECIMAL -> output.appendDecimal(decimalSum);
        case LARGEINT -> output.appendLargeInt(largeSum);
        case BYTES -> throw new IllegalStateException("SUM over a string column " + columnName);
      }
    }

    /** Whether an integer sum fits the column's type (TINYINT, SMALLINT, INT; BIGINT always). */
    private static boolean fits(long sum, DataType type) {
      TypeKind kind = type.kind();
      return switch (kind) {
        case TINYINT -> sum >= Byte.MIN_VALUE && sum <= Byte.MAX_VALUE;
        case SMALLINT -> sum >= Short.MIN_VALUE && sum <= Short.MAX_VALUE;
        case INT -> sum >= Integer.MIN_VALUE && sum <= Integer.MAX_VALUE;
        default -> true;
      };
    }
  }
}
