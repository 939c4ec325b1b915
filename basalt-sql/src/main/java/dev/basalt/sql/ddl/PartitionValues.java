package dev.basalt.sql.ddl;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;

/**
 * Partition bound values of one column type: validation, ordering, the type minimum that an open
 * lower bound stands for, and the type names Doris prints in {@code SHOW PARTITIONS}. Stateless.
 */
final class PartitionValues {
  private static final DateTimeFormatter DATETIME =
      new DateTimeFormatterBuilder()
          .appendPattern("uuuu-MM-dd[ HH:mm[:ss]]")
          .optionalStart()
          .appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true)
          .optionalEnd()
          .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
          .toFormatter(Locale.ROOT);

  private PartitionValues() {}

  /** Whether a column of this type may be a RANGE ({@code range} true) or LIST partition column. */
  static boolean allowed(DataType type, boolean range) {
    return switch (type.kind()) {
      case TINYINT, SMALLINT, INT, BIGINT, LARGEINT, DATE, DATETIME -> true;
      case CHAR, VARCHAR, BOOLEAN -> !range;
      default -> false;
    };
  }

  /** A comparable form of {@code value}, or an INVALID_DDL error naming the column. */
  static Comparable<?> parse(String column, DataType type, String value) {
    try {
      return switch (type.kind()) {
        case TINYINT, SMALLINT, INT, BIGINT, LARGEINT -> {
          BigInteger number = new BigInteger(value.strip());
          if (number.compareTo(minimumInteger(type)) < 0
              || number.compareTo(minimumInteger(type).negate().subtract(BigInteger.ONE)) > 0) {
            throw new NumberFormatException("out of range");
          }
          yield number;
        }
        case DATE -> LocalDate.parse(value.strip());
        case DATETIME -> LocalDateTime.parse(value.strip(), DATETIME);
        case BOOLEAN -> {
          String lower = value.strip().toLowerCase(Locale.ROOT);
          if (!lower.equals("true")
              && !lower.equals("false")
              && !lower.equals("1")
              && !lower.equals("0")) {
            throw new NumberFormatException("not a boolean");
          }
          yield lower.equals("true") || lower.equals("1");
        }
        default -> value;
      };
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          "Invalid partition value '"
              + value
              + "' for column "
              + column
              + " of type "
              + type.sqlName());
    }
  }

  /**
   * Compares two tuples of bound values column by column; a shorter tuple is padded with minimums.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compare(
      List<String> columns, List<DataType> types, List<String> left, List<String> right) {
    for (int i = 0; i < types.size(); i++) {
      boolean leftMissing = i >= left.size();
      boolean rightMissing = i >= right.size();
      if (leftMissing || rightMissing) {
        if (leftMissing && rightMissing) {
          return 0;
        }
        return leftMissing ? -1 : 1;
      }
      Comparable a = parse(columns.get(i), types.get(i), left.get(i));
      Comparable b = parse(columns.get(i), types.get(i), right.get(i));
      int result = a.compareTo(b);
      if (result != 0) {
        return result;
      }
    }
    return 0;
  }

  private static BigInteger minimumInteger(DataType type) {
    int bits =
        switch (type.kind()) {
          case TINYINT -> 8;
          case SMALLINT -> 16;
          case INT -> 32;
          case BIGINT -> 64;
          default -> 128;
        };
    return BigInteger.ONE.shiftLeft(bits - 1).negate();
  }

  /** The smallest value of a type, which an open RANGE lower bound means. */
  static String minimum(DataType type) {
    return switch (type.kind()) {
      case TINYINT, SMALLINT, INT, BIGINT, LARGEINT -> minimumInteger(type).toString();
      case DATE -> "0000-01-01";
      case DATETIME -> "0000-01-01 00:00:00";
      default -> "";
    };
  }

  /** The type as Doris names it in partition range texts, e.g. {@code DATEV2}. */
  static String dorisTypeName(DataType type) {
    return switch (type.kind()) {
      case DATE -> "DATEV2";
      case DATETIME -> "DATETIMEV2(" + type.scale() + ")";
      default -> type.sqlName().toUpperCase(Locale.ROOT);
    };
  }
}
