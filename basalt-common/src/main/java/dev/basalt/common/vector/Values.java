package dev.basalt.common.vector;

import dev.basalt.common.type.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The boxed Java representation of single values, used where code works value by value (literals,
 * row-wise functions, result encoding): BOOLEAN is {@link Boolean}; TINYINT to BIGINT are {@link
 * Long}; LARGEINT is {@link BigInteger}; FLOAT and DOUBLE are {@link Double}; DECIMAL is {@link
 * BigDecimal}; DATE is {@link LocalDate}; DATETIME is {@link LocalDateTime}; CHAR, VARCHAR and
 * STRING are {@link String}; BITMAP, HLL and QUANTILE_STATE are their serialized {@code byte[]}
 * (docs/format.md); SQL NULL is {@code null}.
 *
 * <p>Also converts between that representation and the physical encodings of vectors.
 */
public final class Values {
  private static final LocalDateTime EPOCH = LocalDateTime.of(1970, 1, 1, 0, 0);

  private Values() {}

  /** Days since the epoch to a date. */
  public static LocalDate dateFromEpochDay(long epochDay) {
    return LocalDate.ofEpochDay(epochDay);
  }

  /** Microseconds since the epoch to a local date-time. */
  public static LocalDateTime datetimeFromEpochMicros(long micros) {
    long seconds = Math.floorDiv(micros, 1_000_000L);
    int nanos = (int) Math.floorMod(micros, 1_000_000L) * 1000;
    return LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC);
  }

  public static long epochMicros(LocalDateTime value) {
    return ChronoUnit.MICROS.between(EPOCH, value);
  }

  /** The {@code long} encoding of a boxed value of a type whose physical layout is LONG. */
  public static long toLong(DataType type, Object value) {
    return switch (type.kind()) {
      case BOOLEAN -> ((Boolean) value) ? 1L : 0L;
      case DATE -> ((LocalDate) value).toEpochDay();
      case DATETIME -> epochMicros((LocalDateTime) value);
      default -> ((Number) value).longValue();
    };
  }

  /** The boxed value of a {@code long} encoding, inverse of {@link #toLong}. */
  public static Object fromLong(DataType type, long value) {
    return switch (type.kind()) {
      case BOOLEAN -> value != 0;
      case DATE -> dateFromEpochDay(value);
      case DATETIME -> datetimeFromEpochMicros(value);
      case NULL -> null;
      default -> value;
    };
  }
}
