package dev.basalt.common.type;

/** The in-memory layout of a column vector; several logical {@link TypeKind}s share one. */
public enum PhysicalType {
  /**
   * {@code long[]}: booleans (0/1), integers up to 64 bits, dates (epoch days), datetimes (epoch
   * micros).
   */
  LONG,
  /** {@code double[]}: FLOAT and DOUBLE. */
  DOUBLE,
  /**
   * Unscaled {@code long[]}, 128-bit halves ({@code long[]} pairs) or, rarely, {@code
   * BigDecimal[]}: DECIMAL.
   */
  DECIMAL,
  /** 128-bit halves (two {@code long[]}): LARGEINT. */
  LARGEINT,
  /** UTF-8 bytes with offsets: CHAR, VARCHAR, STRING. */
  BYTES
}
