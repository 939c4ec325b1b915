package dev.basalt.meta.catalog;

/** How a table is partitioned: not at all (one implicit partition), by RANGE or by LIST. */
public enum PartitionKind {
  NONE,
  RANGE,
  LIST
}
