package dev.basalt.meta.catalog;

/**
 * The state of a load transaction as Doris names it. A committed load is VISIBLE at once (Basalt
 * publishes at commit); a two-phase load is PRECOMMITTED until its commit or abort.
 */
public enum LoadStatus {
  PREPARE,
  PRECOMMITTED,
  COMMITTED,
  VISIBLE,
  ABORTED
}
