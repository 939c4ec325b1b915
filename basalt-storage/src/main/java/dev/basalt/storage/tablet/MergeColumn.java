package dev.basalt.storage.tablet;

import dev.basalt.common.type.DataType;

/**
 * One column of a tablet as its merge function sees it: the name (for error messages), the stored
 * type and whether it is a key column or how it aggregates. Plain values, so that storage needs no
 * catalog class.
 */
public record MergeColumn(String name, DataType type, ValueAggregation aggregation) {

  public boolean key() {
    return aggregation == ValueAggregation.KEY;
  }
}
