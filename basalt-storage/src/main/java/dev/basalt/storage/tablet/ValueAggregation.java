package dev.basalt.storage.tablet;

/**
 * How the rows of one key combine a column's values in an AGGREGATE KEY tablet (the catalog's
 * aggregation type as storage sees it; reference/velodb-table-engines.md gives the semantics).
 * {@link #KEY} marks key columns, which rows of one key share.
 */
public enum ValueAggregation {
  KEY,
  SUM,
  MIN,
  MAX,
  REPLACE,
  REPLACE_IF_NOT_NULL,
  /** HLL_UNION, BITMAP_UNION and QUANTILE_UNION: the union of serialized sketches. */
  SKETCH_UNION
}
