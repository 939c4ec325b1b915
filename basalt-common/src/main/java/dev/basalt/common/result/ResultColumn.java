package dev.basalt.common.result;

import dev.basalt.common.type.DataType;

/**
 * One column of a result set as clients see it.
 *
 * @param name the label (alias) of the column
 * @param type its Basalt type; the MySQL wire type is derived from it
 * @param nullable whether values can be NULL
 * @param database the database of the column's table, or "" for computed columns
 * @param table the table the column comes from, or "" for computed columns
 * @param originalName the underlying column name, or "" for computed columns
 */
public record ResultColumn(
    String name,
    DataType type,
    boolean nullable,
    String database,
    String table,
    String originalName) {

  /** A computed column that belongs to no table. */
  public static ResultColumn computed(String name, DataType type) {
    return new ResultColumn(name, type, true, "", "", "");
  }
}
