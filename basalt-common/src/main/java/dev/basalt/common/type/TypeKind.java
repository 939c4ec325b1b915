package dev.basalt.common.type;

/**
 * The logical column types Basalt stores and computes with, named as in Doris.
 *
 * <p>Each kind has one physical representation in column vectors (see {@link #physical()}): every
 * integer-like type, dates and datetimes live in a {@code long[]}; floating point in a {@code
 * double[]}; strings as UTF-8 bytes with offsets; DECIMAL and LARGEINT as arbitrary-precision
 * objects.
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

  public boolean isNumeric() {
    return isInteger() || this == FLOAT || this == DOUBLE || this == DECIMAL;
  }

  public boolean isString() {
    return physical == PhysicalType.BYTES;
  }

  public boolean isTemporal() {
    return this == DATE || this == DATETIME;
  }
}
