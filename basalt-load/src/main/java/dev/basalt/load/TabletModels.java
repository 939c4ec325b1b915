package dev.basalt.load;

import dev.basalt.exec.function.sketch.SketchValues;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.UniqueKeyOptions;
import dev.basalt.storage.tablet.MergeColumn;
import dev.basalt.storage.tablet.TabletModel;
import dev.basalt.storage.tablet.ValueAggregation;
import java.util.ArrayList;
import java.util.List;

/**
 * Describes a catalog table's model to storage ({@link TabletModel}): its columns' types, keys and
 * aggregations, the unique key options, and the sketch unions of the execution layer. The one place
 * where the catalog's model turns into storage's, for loads, compaction and scans. Stateless.
 */
public final class TabletModels {
  private TabletModels() {}

  /** The model of {@code table} over its stored columns, in the table's order. */
  public static TabletModel of(TableMeta table) {
    return of(table, table.columns());
  }

  /**
   * The model of {@code table} over {@code columns}: its stored columns in the table's order, then
   * possibly columns computed at read (hidden columns), which follow the row that wins.
   */
  public static TabletModel of(TableMeta table, List<ColumnMeta> columns) {
    List<MergeColumn> merged = new ArrayList<>(columns.size());
    for (ColumnMeta column : columns) {
      merged.add(new MergeColumn(column.name(), column.type(), aggregation(table, column)));
    }
    return switch (table.keysType()) {
      case DUP_KEYS -> TabletModel.duplicate(merged);
      case AGG_KEYS -> TabletModel.aggregate(merged, SketchValues::union);
      case UNIQUE_KEYS ->
          TabletModel.unique(
              merged,
              UniqueKeyOptions.sequenceColumn(table),
              UniqueKeyOptions.replaceIfNotNull(table));
    };
  }

  private static ValueAggregation aggregation(TableMeta table, ColumnMeta column) {
    if (column.key()) {
      return ValueAggregation.KEY;
    }
    if (table.keysType() != KeysType.AGG_KEYS) {
      return ValueAggregation.REPLACE;
    }
    return switch (column.aggregation()) {
      case SUM -> ValueAggregation.SUM;
      case MIN -> ValueAggregation.MIN;
      case MAX -> ValueAggregation.MAX;
      case REPLACE_IF_NOT_NULL -> ValueAggregation.REPLACE_IF_NOT_NULL;
      case HLL_UNION, BITMAP_UNION, QUANTILE_UNION -> ValueAggregation.SKETCH_UNION;
      case NONE, REPLACE -> ValueAggregation.REPLACE;
    };
  }
}
