package dev.basalt.meta.partition;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.Batch;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.PartitionKind;
import dev.basalt.meta.catalog.PartitionMeta;
import dev.basalt.meta.catalog.Partitioning;
import dev.basalt.meta.catalog.TableMeta;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The partitions an {@code AUTO PARTITION BY} table's loads create for rows no partition holds, as
 * in Doris: for {@code RANGE (date_trunc(c, 'unit'))} the unit's period of the value, named {@code
 * p} + its start as {@code yyyyMMddHHmmss} (e.g. {@code p20240105000000}); for {@code LIST (c,
 * ...)} one partition per value tuple, named {@code p} + each value (letters and digits as they
 * are, other characters as hex) and its length (e.g. {@code pBeijing7}). A partition is created
 * once however many loads need it at the same time: the catalog takes one such change at a time,
 * and a load that finds the name taken uses the existing partition. Stateless.
 */
public final class AutoPartitions {
  private static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT);

  private AutoPartitions() {}

  /**
   * Checks an AUTO clause against its columns' types.
   *
   * @throws BasaltException INVALID_DDL when RANGE is not one DATE/DATETIME column with a known
   *     unit
   */
  public static void validate(Partitioning partitioning, List<DataType> types) {
    if (partitioning.kind() != PartitionKind.RANGE) {
      return;
    }
    if (types.size() != 1
        || (types.get(0).kind() != TypeKind.DATE && types.get(0).kind() != TypeKind.DATETIME)) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          "AUTO PARTITION BY RANGE needs date_trunc over one DATE or DATETIME column");
    }
    PartitionTimeUnit unit = unit(partitioning);
    if (unit == PartitionTimeUnit.HOUR && types.get(0).kind() != TypeKind.DATETIME) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL, "date_trunc(..., 'hour') needs a DATETIME partition column");
    }
  }

  private static PartitionTimeUnit unit(Partitioning partitioning) {
    try {
      return PartitionTimeUnit.valueOf(partitioning.autoTimeUnit());
    } catch (IllegalArgumentException e) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          "Unsupported date_trunc unit '"
              + partitioning.autoTimeUnit().toLowerCase(Locale.ROOT)
              + "' for AUTO PARTITION: use year, month, week, day or hour");
    }
  }

  /**
   * Creates the partitions the rows of {@code batch} whose {@code partitionOfRow} is negative need,
   * and returns the table as it is afterwards (the same instance when nothing was needed). Rows
   * whose partition cannot be made (NULL in a RANGE column, a period that would overlap a declared
   * partition) are left for the caller to reject.
   *
   * @param columns the batch column of each partition column
   */
  public static TableMeta create(
      Catalog catalog, TableMeta table, Batch batch, int[] columns, int[] partitionOfRow) {
    Partitioning partitioning = table.partitioning();
    List<DataType> types = new ArrayList<>();
    for (String name : partitioning.columns()) {
      types.add(table.column(name).orElseThrow().type());
    }
    Map<String, PartitionMeta> needed = new LinkedHashMap<>();
    for (int row = 0; row < batch.rowCount(); row++) {
      if (partitionOfRow[row] >= 0) {
        continue;
      }
      PartitionMeta definition =
          partitioning.kind() == PartitionKind.RANGE
              ? rangeFor(partitioning, types.get(0), batch.column(columns[0]).getObject(row))
              : listFor(types, batch, columns, row);
      if (definition != null) {
        needed.putIfAbsent(definition.name(), definition);
      }
    }
    if (needed.isEmpty()) {
      return table;
    }
    String database =
        catalog
            .databaseById(table.databaseId())
            .orElseThrow(() -> new BasaltException(ErrorCode.UNKNOWN_TABLE, table.name()))
            .name();
    for (PartitionMeta definition : needed.values()) {
      TableMeta current =
          catalog
              .tableById(table.id())
              .orElseThrow(() -> new BasaltException(ErrorCode.UNKNOWN_TABLE, table.name()));
      if (current.partition(definition.name()).isPresent()
          || (partitioning.kind() == PartitionKind.RANGE
              && DynamicPartitions.overlaps(
                  current,
                  types.get(0),
                  toDateTime(types.get(0), definition.lowerBound()),
                  toDateTime(types.get(0), definition.upperBound())))) {
        continue;
      }
      try {
        catalog.addPartition(database, current.name(), definition, 0);
      } catch (BasaltException raced) {
        // Another load created it first (or the table went away: the commit will say so).
        if (catalog.tableById(table.id()).flatMap(t -> t.partition(definition.name())).isEmpty()) {
          throw raced;
        }
      }
    }
    return catalog.tableById(table.id()).orElse(table);
  }

  private static PartitionMeta rangeFor(Partitioning partitioning, DataType type, Object value) {
    LocalDateTime time =
        switch (value) {
          case LocalDateTime dateTime -> dateTime;
          case LocalDate date -> date.atStartOfDay();
          case null, default -> null;
        };
    if (time == null) {
      return null;
    }
    PartitionTimeUnit unit = unit(partitioning);
    LocalDateTime lower = unit.floor(time);
    LocalDateTime upper = unit.plus(lower, 1);
    return PartitionMeta.range(
        "p" + NAME.format(lower), List.of(literal(type, lower)), List.of(literal(type, upper)));
  }

  private static String literal(DataType type, LocalDateTime time) {
    return type.kind() == TypeKind.DATE
        ? time.toLocalDate().toString()
        : DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).format(time);
  }

  private static LocalDateTime toDateTime(DataType type, List<String> bound) {
    Object value = Partitioning.boundValue(type, bound.get(0));
    return value instanceof LocalDate date ? date.atStartOfDay() : (LocalDateTime) value;
  }

  private static PartitionMeta listFor(List<DataType> types, Batch batch, int[] columns, int row) {
    StringBuilder name = new StringBuilder("p");
    List<String> tuple = new ArrayList<>();
    for (int i = 0; i < columns.length; i++) {
      Object value = batch.column(columns[i]).getObject(row);
      if (value == null) {
        return null;
      }
      String text = literalText(types.get(i), value);
      tuple.add(text);
      for (int c = 0; c < text.length(); c++) {
        char character = text.charAt(c);
        if ((character >= 'a' && character <= 'z')
            || (character >= 'A' && character <= 'Z')
            || (character >= '0' && character <= '9')) {
          name.append(character);
        } else {
          name.append(Integer.toHexString(character));
        }
      }
      name.append(text.length());
    }
    return PartitionMeta.list(name.toString(), List.of(tuple));
  }

  private static String literalText(DataType type, Object value) {
    return switch (value) {
      case LocalDateTime time -> DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(time);
      case Boolean bool -> bool ? "true" : "false";
      default -> value.toString();
    };
  }
}
