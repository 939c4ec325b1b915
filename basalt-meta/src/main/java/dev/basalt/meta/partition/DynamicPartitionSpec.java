package dev.basalt.meta.partition;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.meta.catalog.PartitionKind;
import dev.basalt.meta.catalog.Partitioning;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A table's {@code dynamic_partition.*} properties, as Doris defines them: partitions of one {@link
 * PartitionTimeUnit} each, named {@code prefix} + the period (e.g. {@code p20240105} for a DAY),
 * kept from {@code start} periods before now (older ones are dropped; Doris's default {@code
 * -2147483648} keeps everything) to {@code end} periods after now (created ahead). Immutable.
 *
 * @param timeUnit the length of each partition
 * @param start the first period kept, relative to now (negative or {@link #KEEP_ALL})
 * @param end the last period created ahead, relative to now (0 or more)
 * @param prefix the partition name prefix
 * @param buckets the buckets of a created partition, 0 for the table's
 * @param createHistory whether the periods from {@code start} to now are created too
 * @param dateTimeColumn whether the partition column is a DATETIME (bounds carry a time)
 */
public record DynamicPartitionSpec(
    PartitionTimeUnit timeUnit,
    int start,
    int end,
    String prefix,
    int buckets,
    boolean createHistory,
    boolean dateTimeColumn) {

  /** Doris's default {@code dynamic_partition.start}: no partition is ever dropped. */
  public static final int KEEP_ALL = Integer.MIN_VALUE;

  /**
   * The dynamic partition settings of a table with these properties, or empty when {@code
   * dynamic_partition.enable} is not {@code true}.
   *
   * @throws BasaltException INVALID_DDL for a missing or bad setting, or a table that is not RANGE
   *     partitioned on one DATE or DATETIME column
   */
  public static Optional<DynamicPartitionSpec> of(
      Map<String, String> properties, Partitioning partitioning, DataType partitionColumnType) {
    String enable = properties.get("dynamic_partition.enable");
    if (enable == null || !enable.equalsIgnoreCase("true")) {
      return Optional.empty();
    }
    if (partitioning.kind() != PartitionKind.RANGE
        || partitioning.columns().size() != 1
        || partitionColumnType == null
        || (partitionColumnType.kind() != TypeKind.DATE
            && partitionColumnType.kind() != TypeKind.DATETIME)) {
      throw invalid(
          "Dynamic partition only supports a table RANGE partitioned on one DATE or DATETIME"
              + " column");
    }
    String unitText = required(properties, "time_unit");
    PartitionTimeUnit unit;
    try {
      unit = PartitionTimeUnit.valueOf(unitText.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid("Unsupported time unit " + unitText + ". Expect HOUR/DAY/WEEK/MONTH/YEAR.");
    }
    boolean dateTime = partitionColumnType.kind() == TypeKind.DATETIME;
    if (unit == PartitionTimeUnit.HOUR && !dateTime) {
      throw invalid("time_unit HOUR needs a DATETIME partition column");
    }
    int start = integer(properties, "start", KEEP_ALL);
    if (start >= 0) {
      throw invalid("Dynamic partition start must be less than 0");
    }
    int end = integer(properties, "end", Integer.MIN_VALUE);
    if (end == Integer.MIN_VALUE) {
      throw invalid("Must assign dynamic_partition.end properties");
    }
    if (end < 0) {
      throw invalid("Dynamic partition end must be greater than or equal to 0");
    }
    String prefix = required(properties, "prefix");
    if (!prefix.matches("[a-zA-Z][a-zA-Z0-9_]*")) {
      throw invalid("Invalid dynamic partition prefix: " + prefix);
    }
    int buckets = integer(properties, "buckets", 0);
    if (buckets < 0) {
      throw invalid("Dynamic partition buckets must be greater than 0");
    }
    boolean history =
        "true".equalsIgnoreCase(properties.get("dynamic_partition.create_history_partition"));
    return Optional.of(
        new DynamicPartitionSpec(unit, start, end, prefix, buckets, history, dateTime));
  }

  private static String required(Map<String, String> properties, String name) {
    String value = properties.get("dynamic_partition." + name);
    if (value == null || value.isBlank()) {
      throw invalid("Must assign dynamic_partition." + name + " properties");
    }
    return value;
  }

  private static int integer(Map<String, String> properties, String name, int absent) {
    String value = properties.get("dynamic_partition." + name);
    if (value == null) {
      return absent;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw invalid("Invalid dynamic_partition." + name + " value: " + value);
    }
  }

  private static BasaltException invalid(String message) {
    return new BasaltException(ErrorCode.INVALID_DDL, message);
  }

  /** A period's partition bound literal: a date, or a date and time for DATETIME columns. */
  public String boundLiteral(LocalDateTime periodStart) {
    return dateTimeColumn
        ? DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).format(periodStart)
        : periodStart.toLocalDate().toString();
  }
}
