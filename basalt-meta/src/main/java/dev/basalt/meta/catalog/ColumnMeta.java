package dev.basalt.meta.catalog;

import dev.basalt.common.type.DataType;
import java.util.Objects;

/**
 * One column of a table. The unique id never changes and is never reused within a table, so
 * segments written before an ADD/DROP/RENAME COLUMN still map their columns by id (light schema
 * change).
 *
 * @param uniqueId the column's id within its table (assigned by the catalog; 0 in definitions)
 * @param name the column name (case-insensitive in SQL, stored as declared)
 * @param type the column type
 * @param nullable whether NULL is allowed
 * @param key whether it is a key column
 * @param aggregation the merge function (AGGREGATE value columns), otherwise NONE
 * @param defaultValue the default, {@link DefaultValue#NONE} when none was declared
 * @param comment the column comment, "" when none
 * @param autoIncrement whether values are generated (BIGINT NOT NULL only; {@link
 *     Catalog#reserveAutoIncrement})
 * @param autoIncrementStart the smallest generated value, {@code AUTO_INCREMENT(start)}; at least 1
 *     (0 in entries written before it existed reads as 1)
 */
public record ColumnMeta(
    int uniqueId,
    String name,
    DataType type,
    boolean nullable,
    boolean key,
    AggregationType aggregation,
    DefaultValue defaultValue,
    String comment,
    boolean autoIncrement,
    long autoIncrementStart) {

  public ColumnMeta {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    aggregation = aggregation == null ? AggregationType.NONE : aggregation;
    defaultValue = defaultValue == null ? DefaultValue.NONE : defaultValue;
    comment = comment == null ? "" : comment;
    autoIncrementStart = Math.max(1, autoIncrementStart);
  }

  /** A column whose generated values (when {@code autoIncrement}) start at 1. */
  public ColumnMeta(
      int uniqueId,
      String name,
      DataType type,
      boolean nullable,
      boolean key,
      AggregationType aggregation,
      DefaultValue defaultValue,
      String comment,
      boolean autoIncrement) {
    this(uniqueId, name, type, nullable, key, aggregation, defaultValue, comment, autoIncrement, 1);
  }

  /** A nullable value column without default, comment or aggregation. */
  public static ColumnMeta of(String name, DataType type) {
    return new ColumnMeta(
        0, name, type, true, false, AggregationType.NONE, DefaultValue.NONE, "", false);
  }

  public ColumnMeta withUniqueId(int id) {
    return new ColumnMeta(
        id,
        name,
        type,
        nullable,
        key,
        aggregation,
        defaultValue,
        comment,
        autoIncrement,
        autoIncrementStart);
  }

  public ColumnMeta withName(String newName) {
    return new ColumnMeta(
        uniqueId,
        newName,
        type,
        nullable,
        key,
        aggregation,
        defaultValue,
        comment,
        autoIncrement,
        autoIncrementStart);
  }

  public ColumnMeta withKey(boolean isKey) {
    return new ColumnMeta(
        uniqueId,
        name,
        type,
        nullable,
        isKey,
        aggregation,
        defaultValue,
        comment,
        autoIncrement,
        autoIncrementStart);
  }
}
