package dev.basalt.load.compaction;

import dev.basalt.meta.catalog.TableMeta;

/** Chooses the {@link MergeFunction} of a table's model. */
public final class MergeFunctions {
  private MergeFunctions() {}

  /** A new merge function for {@code table}'s model (columns in the table's order). */
  public static MergeFunction forTable(TableMeta table) {
    return switch (table.keysType()) {
      case DUP_KEYS -> new DuplicateMergeFunction();
      case UNIQUE_KEYS -> new ReplaceMergeFunction(table);
      case AGG_KEYS -> new AggregateMergeFunction(table.columns());
    };
  }
}
