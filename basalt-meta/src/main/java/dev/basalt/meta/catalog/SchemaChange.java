package dev.basalt.meta.catalog;

import java.util.List;

/**
 * What a committed schema change did.
 *
 * @param table the table's new definition
 * @param retiredPaths segment files no committed version references any more (the rewritten
 *     rowsets' old files), for the garbage collector; empty for a metadata-only change
 * @param job the FINISHED job recorded (SHOW ALTER TABLE COLUMN)
 */
public record SchemaChange(TableMeta table, List<String> retiredPaths, AlterJob job) {
  public SchemaChange {
    retiredPaths = List.copyOf(retiredPaths);
  }
}
