package dev.basalt.sql.parser;

import dev.basalt.common.type.DataType;
import dev.basalt.meta.catalog.AggregationType;
import dev.basalt.meta.catalog.DefaultValue;

/**
 * A column as written in CREATE TABLE or ALTER TABLE: {@code name type [KEY] [agg] [[NOT] NULL]
 * [AUTO_INCREMENT[(start)]] [DEFAULT ...] [COMMENT '...']}.
 *
 * @param name the column name
 * @param type the validated type
 * @param key whether {@code KEY} was written after the type
 * @param aggregation the aggregation type, NONE when none was written
 * @param nullable TRUE for {@code NULL}, FALSE for {@code NOT NULL}, {@code null} when unspecified
 * @param autoIncrement whether {@code AUTO_INCREMENT} was written
 * @param autoIncrementStart the start written as {@code AUTO_INCREMENT(start)}, otherwise 1
 * @param defaultValue the default, {@link DefaultValue#NONE} when none was written
 * @param comment the comment, "" when none
 */
public record ColumnDefinition(
    String name,
    DataType type,
    boolean key,
    AggregationType aggregation,
    Boolean nullable,
    boolean autoIncrement,
    long autoIncrementStart,
    DefaultValue defaultValue,
    String comment) {

  /** A column without an {@code AUTO_INCREMENT(start)}. */
  public ColumnDefinition(
      String name,
      DataType type,
      boolean key,
      AggregationType aggregation,
      Boolean nullable,
      boolean autoIncrement,
      DefaultValue defaultValue,
      String comment) {
    this(name, type, key, aggregation, nullable, autoIncrement, 1, defaultValue, comment);
  }
}
