package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.ColumnVectors;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LongVector;
import java.util.ArrayList;
import java.util.List;

/**
 * The typed buffer of a materializing operator (sort, TopN, window): the input's batches kept as
 * they are, column by column, then concatenated into one typed vector per column for the sort
 * kernel ({@link PositionSort}) and gathered back into output batches by position. No row is ever
 * boxed.
 *
 * <p>Call order: {@link #add} any number of times, then {@link #concatenate()} once (which empties
 * the buffer); the buffer may then be filled again. The caller reserves the memory held. Not thread
 * safe.
 */
final class ColumnChunks {
  private final List<DataType> types;
  private final List<List<ColumnVector>> columns = new ArrayList<>();
  private int rowCount;

  ColumnChunks(List<DataType> types) {
    this.types = List.copyOf(types);
    for (int column = 0; column < types.size(); column++) {
      columns.add(new ArrayList<>());
    }
  }

  /** Keeps the rows of {@code batch}. */
  void add(Batch batch) {
    if (batch.rowCount() == 0) {
      return;
    }
    if ((long) rowCount + batch.rowCount() > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("more than 2^31 rows to sort in memory");
    }
    for (int column = 0; column < types.size(); column++) {
      columns.get(column).add(batch.column(column));
    }
    rowCount += batch.rowCount();
  }

  int rowCount() {
    return rowCount;
  }

  boolean isEmpty() {
    return rowCount == 0;
  }

  /**
   * One vector per column holding every row added, in the order added, and empties the buffer. Each
   * column's chunks are dropped as soon as that column is copied, so the copy needs at most one
   * column's worth of extra memory.
   */
  List<ColumnVector> concatenate() {
    List<ColumnVector> result = new ArrayList<>(types.size());
    for (int column = 0; column < types.size(); column++) {
      List<ColumnVector> chunks = columns.get(column);
      result.add(
          chunks.size() == 1
              ? chunks.getFirst()
              : VectorGather.concatenate(types.get(column), chunks));
      chunks.clear();
    }
    rowCount = 0;
    return result;
  }

  /** Rows {@code positions[from .. from + count)} of {@code columns} as one batch. */
  static Batch gather(List<ColumnVector> columns, int[] positions, int from, int count) {
    int[] chosen = new int[count];
    System.arraycopy(positions, from, chosen, 0, count);
    List<ColumnVector> result = new ArrayList<>(columns.size());
    for (ColumnVector column : columns) {
      result.add(ColumnVectors.take(column, chosen, count));
    }
    return new Batch(result, count);
  }

  /**
   * Appends row {@code row} of {@code source} to {@code builder} (same physical layout) without
   * boxing.
   */
  static void appendValue(ColumnVectorBuilder builder, ColumnVector source, int row) {
    if (source.isNull(row)) {
      builder.appendNull();
      return;
    }
    switch (source) {
      case LongVector longs -> builder.appendLong(longs.getLong(row));
      case DoubleVector doubles -> builder.appendDouble(doubles.getDouble(row));
      case BytesVector strings ->
          builder.appendBytes(strings.rawBytes(), strings.offset(row), strings.byteLength(row));
      default -> builder.appendFrom(source, row);
    }
  }
}
