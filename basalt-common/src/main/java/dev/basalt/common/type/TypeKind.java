package dev.basalt.common.type;

/**
 * The logical column types Basalt stores and computes with, named as in Doris.
 *
 * <p>Each kind has one physical representation in column vectors (see {@link #physical()}): every
 * integer-like type, dates and datetimes live in a {@code long[]}; floating point in a {@code
 * double[]}; strings as UTF-8 bytes with offsets; DECIMAL as unscaled longs or 128-bit halves, and
 * LARGEINT as 128-bit halves (see {@link dev.basalt.common.vector.Int128}). BITMAP, HLL and
 * QUANTILE_STATE are binary sketches in the same byte layout as strings, but they are not strings:
 * only their own functions read them.
 */
public enum TypeKind {
  BOOLEAN(PhysicalType.LONG),
  TINYINT(PhysicalType.LONG),
  SMALLINT(PhysicalType.LONG),
  INT(PhysicalType.LONG),
  BIGINT(PhysicalType.LONG),
  /** 128-bit signed integer. */
  LARGEINT(PhysicalType.LARGEINT),
  FLOAT(PhysicalType.DOUBLE),
  DOUBLE(PhysicalType.DOUBLE),
  /** DECIMAL(precision, scale), precision up to 38. */
  DECIMAL(PhysicalType.DECIMAL),
  /** Days since 1970-01-01. */
  DATE(PhysicalType.LONG),
  /** Microseconds since 1970-01-01 00:00:00, a local date-time without time zone. */
  DATETIME(PhysicalType.LONG),
  CHAR(PhysicalType.BYTES),
  VARCHAR(PhysicalType.BYTES),
  STRING(PhysicalType.BYTES),
  /** A set of BIGINT values (a 64-bit Roaring bitmap, serialized as in docs/format.md). */
  BITMAP(PhysicalType.BYTES),
  /** A HyperLogLog sketch of distinct values (serialized as in docs/format.md). */
  HLL(PhysicalType.BYTES),
  /** A quantiles sketch of DOUBLE values (serialized as in docs/format.md). */
  QUANTILE_STATE(PhysicalType.BYTES),
  /** The type of an untyped NULL literal; every value is null. */
  NULL(PhysicalType.LONG);

  private final PhysicalType physical;

  TypeKind(PhysicalType physical) {
    this.physical = physical;
  }

  /** How values of this kind are laid out in a column vector. */
  public PhysicalType physical() {
    return physical;
  }

  public boolean isInteger() {
    return this == TINYINT || this == SMALLINT || this == INT || this == BIGINT || this == LARGEINT;
  }

  /** The least value of a TINYINT, SMALLINT or INT; {@code Long.MIN_VALUE} for other kinds. */
  public long minimumLong() {
    return switch (this) {
      case TINYINT -> Byte.MIN_VALUE;
      case SMALLINT -> Short.MIN_VALUE;
      case INT -> Integer.MIN_VALUE;
      default -> Long.MIN_VALUE;
    };
  }

  /** The greatest value of a TINYINT, SMALLINT or INT; {@code Long.MAX_VALUE} for other kinds. */
  public long maximumLong() {
    return switch (this) {
      case TINYINT -> Byte.MAX_VALUE;
      case SMALLINT -> Short.MAX_VALUE;
      case INT -> Integer.MAX_VALUE;
      default -> Long.MAX_VALUE;
    };
  }

  public boolean isNumeric() {
    return isInteger() || this == FLOAT || this == DOUBLE || this == DECIMAL;
  }

  public boolean isString() {
    return this == CHAR || this == VARCHAR || this == STRING;
  }

  /**
   * BITMAP, HLL and QUANTILE_STATE: binary sketches that only their own functions read; they cannot
   * be keys, compared, grouped or sorted, and print as NULL over the MySQL protocol (as in Doris).
   */
  public boolean isSketch() {
    return this == BITMAP || this == HLL || this == QUANTILE_STATE;
  }

  public boolean isTemporal() {
    return this == DATE || this == DATETIME;
  }
}
