package dev.basalt.common.type;

import java.util.Locale;

/**
 * A column or expression type: a {@link TypeKind} with its parameters.
 *
 * <p>{@code precision} and {@code scale} apply to DECIMAL; {@code scale} is also the number of
 * fractional-second digits of DATETIME; {@code length} is the declared length of CHAR and VARCHAR
 * (in characters). Parameters that do not apply are zero. Immutable and thread safe.
 */
public record DataType(TypeKind kind, int precision, int scale, int length) {

  /** Longest VARCHAR Doris allows; also the length of a bare {@code VARCHAR}. */
  public static final int MAX_VARCHAR_LENGTH = 65533;

  public static final int MAX_CHAR_LENGTH = 255;
  public static final int MAX_DECIMAL_PRECISION = 38;
  public static final int MAX_DATETIME_SCALE = 6;

  /** STRING holds up to 2 GB; its nominal length in metadata. */
  public static final int STRING_LENGTH = Integer.MAX_VALUE;

  public static final DataType BOOLEAN = new DataType(TypeKind.BOOLEAN, 0, 0, 0);
  public static final DataType TINYINT = new DataType(TypeKind.TINYINT, 0, 0, 0);
  public static final DataType SMALLINT = new DataType(TypeKind.SMALLINT, 0, 0, 0);
  public static final DataType INT = new DataType(TypeKind.INT, 0, 0, 0);
  public static final DataType BIGINT = new DataType(TypeKind.BIGINT, 0, 0, 0);
  public static final DataType LARGEINT = new DataType(TypeKind.LARGEINT, 0, 0, 0);
  public static final DataType FLOAT = new DataType(TypeKind.FLOAT, 0, 0, 0);
  public static final DataType DOUBLE = new DataType(TypeKind.DOUBLE, 0, 0, 0);
  public static final DataType DATE = new DataType(TypeKind.DATE, 0, 0, 0);
  public static final DataType DATETIME = new DataType(TypeKind.DATETIME, 0, 0, 0);
  public static final DataType STRING = new DataType(TypeKind.STRING, 0, 0, STRING_LENGTH);
  public static final DataType BITMAP = new DataType(TypeKind.BITMAP, 0, 0, 0);
  public static final DataType HLL = new DataType(TypeKind.HLL, 0, 0, 0);
  public static final DataType QUANTILE_STATE = new DataType(TypeKind.QUANTILE_STATE, 0, 0, 0);
  public static final DataType NULL = new DataType(TypeKind.NULL, 0, 0, 0);

  public static DataType decimal(int precision, int scale) {
    return new DataType(TypeKind.DECIMAL, precision, scale, 0);
  }

  public static DataType datetime(int fractionalDigits) {
    return new DataType(TypeKind.DATETIME, 0, fractionalDigits, 0);
  }

  public static DataType varchar(int length) {
    return new DataType(TypeKind.VARCHAR, 0, 0, length);
  }

  public static DataType character(int length) {
    return new DataType(TypeKind.CHAR, 0, 0, length);
  }

  public PhysicalType physical() {
    return kind.physical();
  }

  /**
   * The type as Doris prints it in {@code SHOW CREATE TABLE} and {@code DESC}, e.g. {@code
   * decimal(10,2)}.
   */
  public String sqlName() {
    String name = kind.name().toLowerCase(Locale.ROOT);
    return switch (kind) {
      case DECIMAL -> "decimal(" + precision + "," + scale + ")";
      case DATETIME -> scale == 0 ? "datetime" : "datetime(" + scale + ")";
      case CHAR, VARCHAR -> name + "(" + length + ")";
      case STRING -> "text";
      default -> name;
    };
  }

  @Override
  public String toString() {
    return sqlName();
  }
}
