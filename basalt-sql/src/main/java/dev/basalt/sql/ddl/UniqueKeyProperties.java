package dev.basalt.sql.ddl;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.HiddenColumns;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.UniqueKeyOptions;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CREATE TABLE's checks of the UNIQUE KEY properties ({@link UniqueKeyOptions}): the sequence
 * column (named, or hidden with {@code sequence_type} alone) and {@code
 * enable_unique_key_replace_if_not_null}. Stateless.
 */
final class UniqueKeyProperties {
  private UniqueKeyProperties() {}

  /**
   * @param definition the table's columns (ids not assigned yet)
   * @param properties the normalized properties
   * @throws BasaltException INVALID_DDL for an option on another model, a key or wrongly typed
   *     sequence column; UNKNOWN_COLUMN for a sequence column that does not exist; UNSUPPORTED for
   *     a LARGEINT hidden sequence column
   */
  static void check(KeysType keysType, TableMeta definition, Map<String, String> properties) {
    String sequenceColumn = properties.get(UniqueKeyOptions.SEQUENCE_COLUMN);
    String sequenceType = properties.get(UniqueKeyOptions.SEQUENCE_TYPE);
    if (sequenceColumn != null || sequenceType != null) {
      if (keysType != KeysType.UNIQUE_KEYS) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL, "Sequence column only support UNIQUE_KEYS");
      }
      if (sequenceColumn == null) {
        parseSequenceType(sequenceType);
        if (definition.column(HiddenColumns.SEQUENCE).isPresent()) {
          throw new BasaltException(
              ErrorCode.INVALID_DDL,
              "The column name "
                  + HiddenColumns.SEQUENCE
                  + " is reserved for the hidden sequence column");
        }
        return;
      }
      ColumnMeta column =
          definition
              .column(sequenceColumn)
              .orElseThrow(
                  () ->
                      new BasaltException(
                          ErrorCode.UNKNOWN_COLUMN,
                          sequenceColumn,
                          UniqueKeyOptions.SEQUENCE_COLUMN));
      if (column.key()) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL,
            "The sequence column " + column.name() + " must be a value column, not a key column");
      }
      if (!UniqueKeyOptions.SEQUENCE_TYPES.contains(column.type().kind())) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL,
            "Sequence type only support integer types and date types; column "
                + column.name()
                + " is "
                + column.type().sqlName());
      }
      if (sequenceType != null
          && !sequenceType.strip().equalsIgnoreCase(column.type().kind().name())
          && !(sequenceType.strip().toUpperCase(Locale.ROOT).startsWith("DATETIME")
              && column.type().kind().name().equals("DATETIME"))) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL,
            "The sequence_type "
                + sequenceType
                + " does not match the type of the sequence column "
                + column.name()
                + " ("
                + column.type().sqlName()
                + ")");
      }
    }
    if (properties.containsKey(UniqueKeyOptions.REPLACE_IF_NOT_NULL)
        && keysType != KeysType.UNIQUE_KEYS) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          "\"" + UniqueKeyOptions.REPLACE_IF_NOT_NULL + "\" is only for UNIQUE KEY tables");
    }
  }

  /**
   * The type of the hidden sequence column CREATE TABLE adds ({@link
   * HiddenColumns#storedSequence}), or null when the properties name a sequence column or have no
   * sequence type.
   *
   * @param properties the normalized properties, already {@link #check checked}
   */
  static DataType hiddenSequenceType(Map<String, String> properties) {
    String sequenceType = properties.get(UniqueKeyOptions.SEQUENCE_TYPE);
    if (sequenceType == null || properties.containsKey(UniqueKeyOptions.SEQUENCE_COLUMN)) {
      return null;
    }
    return parseSequenceType(sequenceType);
  }

  /**
   * Doris's {@code sequence_type} names (case-insensitive, with the V2 spellings of the date types
   * and a DATETIME precision).
   */
  private static DataType parseSequenceType(String sequenceType) {
    String name = sequenceType.strip().toUpperCase(Locale.ROOT);
    DataType type =
        switch (name) {
          case "TINYINT" -> DataType.TINYINT;
          case "SMALLINT" -> DataType.SMALLINT;
          case "INT", "INTEGER" -> DataType.INT;
          case "BIGINT" -> DataType.BIGINT;
          case "DATE", "DATEV2" -> DataType.DATE;
          case "DATETIME", "DATETIMEV2" -> DataType.DATETIME;
          case "LARGEINT" ->
              // Sequence values are compared as long (storage.tablet.SequenceOrder).
              throw new BasaltException(ErrorCode.UNSUPPORTED, "a LARGEINT sequence column");
          default -> datetimeWithPrecision(name);
        };
    if (type == null) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          "Sequence type only support integer types and date types, not " + sequenceType.strip());
    }
    return type;
  }

  /** {@code DATETIME(p)} or {@code DATETIMEV2(p)}, upper case. */
  private static final Pattern DATETIME_WITH_PRECISION =
      Pattern.compile("DATETIME(?:V2)?\\(\\s*([0-6])\\s*\\)");

  private static DataType datetimeWithPrecision(String name) {
    Matcher matcher = DATETIME_WITH_PRECISION.matcher(name);
    return matcher.matches() ? DataType.datetime(Integer.parseInt(matcher.group(1))) : null;
  }

  /**
   * Refuses an ALTER that would break the table's sequence column: dropping or renaming it (the
   * property names it), or modifying it to a type a sequence column cannot have.
   *
   * @param newType the type a MODIFY COLUMN gives it, null for drop and rename
   * @throws BasaltException INVALID_DDL
   */
  static void checkSequenceColumnChange(
      TableMeta table, String column, String operation, dev.basalt.common.type.DataType newType) {
    int sequence = UniqueKeyOptions.sequenceColumn(table);
    if (sequence < 0 || !table.columns().get(sequence).name().equalsIgnoreCase(column)) {
      return;
    }
    if (newType != null && UniqueKeyOptions.SEQUENCE_TYPES.contains(newType.kind())) {
      return;
    }
    throw new BasaltException(
        ErrorCode.INVALID_DDL,
        "Can not "
            + operation
            + " sequence mapping column["
            + table.columns().get(sequence).name()
            + "] in Unique data model table["
            + table.name()
            + "]"
            + (newType == null ? "" : " to type " + newType.sqlName()));
  }
}
