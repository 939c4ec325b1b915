package dev.basalt.load;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.TableMeta;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates the values of a table's AUTO_INCREMENT column (Doris's auto-increment column,
 * docs/sql.md) for the rows that leave it NULL: INSERT without the column or with NULL, and Stream
 * Load rows without the field. Both fill their converted batches here before handing them to a
 * {@link LoadTransaction} or a group commit, so a value is generated once, before a row is routed,
 * logged or written. Values come from {@link Catalog#reserveAutoIncrement}: unique and increasing
 * per table, never reused after a restart, not necessarily dense. Thread safe.
 */
public final class AutoIncrementValues {
  private final Catalog catalog;

  public AutoIncrementValues(Catalog catalog) {
    this.catalog = catalog;
  }

  /**
   * A batch with every AUTO_INCREMENT value present.
   *
   * @param batch the rows, unchanged when nothing was generated
   * @param firstGenerated the first value generated for this batch, 0 when none was (what {@code
   *     LAST_INSERT_ID()} reports)
   */
  public record Filled(Batch batch, long firstGenerated) {}

  /** The index of {@code table}'s AUTO_INCREMENT column in its columns, or -1 when it has none. */
  public static int columnIndex(TableMeta table) {
    List<ColumnMeta> columns = table.columns();
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).autoIncrement()) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Replaces the NULLs of {@code batch}'s AUTO_INCREMENT column (a BIGINT vector; the batch's first
   * columns follow {@code table.columns()}, extra columns after them are kept as they are) with
   * newly reserved values, in row order.
   */
  public Filled fill(TableMeta table, Batch batch) {
    int column = columnIndex(table);
    if (column < 0 || batch.rowCount() == 0) {
      return new Filled(batch, 0);
    }
    ColumnVector given = batch.column(column);
    int rows = batch.rowCount();
    LongVector longs = given instanceof LongVector vector ? vector : null;
    long[] values = new long[rows];
    int missing = 0;
    long largestGiven = Long.MIN_VALUE;
    for (int row = 0; row < rows; row++) {
      if (given.isNull(row)) {
        missing++;
      } else {
        values[row] =
            longs != null ? longs.getLong(row) : ((Number) given.getObject(row)).longValue();
        largestGiven = Math.max(largestGiven, values[row]);
      }
    }
    long start = table.columns().get(column).autoIncrementStart();
    if (missing == 0) {
      // Given values move the counter past them (as MySQL does), so that loading rows with their
      // ids (a MySQL dump) is never followed by a generated duplicate.
      if (largestGiven >= start) {
        catalog.reserveAutoIncrement(table.id(), start, 0, largestGiven);
      }
      return new Filled(batch, 0);
    }
    long first = catalog.reserveAutoIncrement(table.id(), start, missing, largestGiven);
    long next = first;
    for (int row = 0; row < rows; row++) {
      if (given.isNull(row)) {
        values[row] = next++;
      }
    }
    List<ColumnVector> vectors = new ArrayList<>(batch.columns());
    vectors.set(column, new LongVector(DataType.BIGINT, values, null, rows));
    return new Filled(new Batch(vectors, rows), first);
  }
}
