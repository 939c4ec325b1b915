package dev.basalt.meta.catalog;

/** The state of a load transaction as Doris names it; committed loads here are always VISIBLE. */
public enum LoadStatus {
  PREPARE,
  PRECOMMITTED,
  COMMITTED,
  VISIBLE,
  ABORTED
}
