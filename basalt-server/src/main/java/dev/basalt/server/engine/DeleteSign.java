package dev.basalt.server.engine;

import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.expression.Batches;
import dev.basalt.load.LoadTransaction;

/**
 * Doris's {@code __DORIS_DELETE_SIGN__} as an INSERT writes it: rows whose sign is set (not NULL
 * and not 0) delete their key, the others are upserted, in one load (the same mechanism as Stream
 * Load's {@code merge_type: MERGE}). Stateless.
 */
final class DeleteSign {
  private DeleteSign() {}

  /**
   * Hands the rows of {@code rows} to {@code load}: {@link LoadTransaction#delete} for those whose
   * {@code signs} value is set, {@link LoadTransaction#append} for the rest.
   */
  static void split(ColumnVector signs, Batch rows, LoadTransaction load) {
    int count = rows.rowCount();
    int[] deleted = new int[count];
    int[] kept = new int[count];
    int deletedCount = 0;
    int keptCount = 0;
    for (int row = 0; row < count; row++) {
      if (isSet(signs, row)) {
        deleted[deletedCount++] = row;
      } else {
        kept[keptCount++] = row;
      }
    }
    if (keptCount > 0) {
      load.append(keptCount == count ? rows : Batches.select(rows, kept, keptCount));
    }
    if (deletedCount > 0) {
      load.delete(deletedCount == count ? rows : Batches.select(rows, deleted, deletedCount));
    }
  }

  private static boolean isSet(ColumnVector signs, int row) {
    if (signs.isNull(row)) {
      return false;
    }
    if (signs instanceof LongVector longs) {
      return longs.getLong(row) != 0;
    }
    Object value = signs.getObject(row);
    if (value instanceof Number number) {
      return number.doubleValue() != 0;
    }
    String text = String.valueOf(value).strip();
    return !(text.isEmpty() || text.equals("0") || text.equalsIgnoreCase("false"));
  }
}
