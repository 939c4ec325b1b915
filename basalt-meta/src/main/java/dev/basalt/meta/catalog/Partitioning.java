package dev.basalt.meta.catalog;

import dev.basalt.common.type.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;

/**
 * A table's partitioning scheme.
 *
 * @param kind NONE, RANGE or LIST
 * @param columns the partition columns (empty for NONE)
 * @param auto whether loads create the partitions their rows need ({@code AUTO PARTITION BY});
 *     false in definitions stored before Basalt had it
 * @param autoTimeUnit for {@code AUTO PARTITION BY RANGE (date_trunc(c, 'unit'))}, the unit in
 *     upper case (YEAR, MONTH, WEEK, DAY, HOUR); "" otherwise
 */
public record Partitioning(
    PartitionKind kind, List<String> columns, boolean auto, String autoTimeUnit) {
  public static final Partitioning NONE = new Partitioning(PartitionKind.NONE, List.of());

  public Partitioning {
    Objects.requireNonNull(kind, "kind");
    columns = List.copyOf(columns);
    autoTimeUnit = autoTimeUnit == null ? "" : autoTimeUnit;
  }

  /** A scheme whose partitions are all declared. */
  public Partitioning(PartitionKind kind, List<String> columns) {
    this(kind, columns, false, "");
  }

  /**
   * A partition bound literal (as {@link PartitionMeta} keeps it) as a value of the column's type,
   * in the {@code Values} representation loads and scans compare with: integers as {@link Long}
   * (LARGEINT as {@link java.math.BigInteger}), DATE as {@link LocalDate}, DATETIME as {@link
   * LocalDateTime}, strings as themselves.
   */
  public static Object boundValue(DataType type, String literal) {
    String text = literal.trim();
    return switch (type.kind()) {
      case BOOLEAN -> text.equalsIgnoreCase("true") || text.equals("1");
      case TINYINT, SMALLINT, INT, BIGINT -> Long.parseLong(text);
      case LARGEINT -> new java.math.BigInteger(text);
      case FLOAT, DOUBLE -> Double.parseDouble(text);
      case DECIMAL -> new BigDecimal(text);
      case DATE -> LocalDate.parse(text.substring(0, Math.min(10, text.length())));
      case DATETIME ->
          text.length() <= 10
              ? LocalDate.parse(text).atStartOfDay()
              : LocalDateTime.parse(text.replace(' ', 'T'));
      default -> literal;
    };
  }
}
