package dev.basalt.exec.function.cast;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.PhysicalType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.type.ValueText;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.TypeCoercion;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * CAST semantics, shared by {@code CAST(x AS t)}, implicit conversions of function arguments and
 * comparisons. The rules follow Doris's non-strict query casts (a value that does not convert gives
 * NULL, never an error), with MySQL's choices where Doris has none:
 *
 * <ul>
 *   <li>string → number: trimmed; {@code [+-]digits[.digits][e[+-]digits]}; anything else NULL.
 *       String → integer truncates a fraction ({@code '12.9'} → 12, as MySQL and Doris 3).
 *   <li>DOUBLE/FLOAT/DECIMAL → integer truncates toward zero ({@code 2.7} → 2, {@code -2.7} → -2),
 *       as Doris does (MySQL rounds). Calcite folds casts of literals the same way, so a cast gives
 *       the same answer whether its operand is a literal or a column.
 *   <li>out-of-range integer or decimal results (e.g. {@code CAST(300 AS TINYINT)}) → NULL, as
 *       Doris's non-strict casts.
 *   <li>decimal rescaling rounds HALF_UP.
 *   <li>string → DATE / DATETIME: see {@link TemporalParser}; invalid → NULL. Numbers {@code
 *       yyyyMMdd} and {@code yyyyMMddHHmmss} convert too; DATE → number gives {@code yyyyMMdd}.
 *   <li>DATETIME → DATE drops the time; DATE → DATETIME is midnight; DATETIME(p) rounds the
 *       fraction to p digits (MySQL).
 *   <li>anything → string: {@link ValueText}; to CHAR(n) / VARCHAR(n) truncates to n characters
 *       (MySQL's {@code CAST(x AS CHAR(n))}); STRING never truncates.
 *   <li>BOOLEAN ↔ numbers: 0/1; non-zero is true. String → BOOLEAN accepts {@code true}/{@code
 *       false} (any case) and numbers.
 * </ul>
 *
 * Stateless and thread safe.
 */
public final class Casts {
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final BigInteger LARGEINT_MAX =
      BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);
  private static final BigInteger LARGEINT_MIN = BigInteger.ONE.shiftLeft(127).negate();
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

  private Casts() {}

  /** The CAST function from {@code from} to {@code to}; throws INVALID_CAST for NULL targets. */
  public static ScalarFunction resolve(DataType from, DataType to) {
    if (to.kind() == TypeKind.NULL) {
      throw new BasaltException(ErrorCode.INVALID_CAST, from.sqlName(), to.sqlName());
    }
    return new CastFunction(from, to);
  }

  /**
   * Whether a boxed value of {@code from} may be used unchanged where {@code to} is expected by a
   * row-wise function body (same Java representation, no range or scale to enforce).
   */
  public static boolean isRepresentationCompatible(DataType from, DataType to) {
    TypeKind a = from.kind();
    TypeKind b = to.kind();
    if (a == b || a == TypeKind.NULL) {
      return a != TypeKind.CHAR && a != TypeKind.VARCHAR
          || b == TypeKind.STRING
          || from.length() <= to.length();
    }
    if (a.isString() && b == TypeKind.STRING) {
      return true;
    }
    if (a.isString() && b.isString()) {
      return from.length() <= to.length();
    }
    if (a.isInteger() && a != TypeKind.LARGEINT && b == TypeKind.BIGINT) {
      return true;
    }
    return TypeCoercion.isFloating(a) && b == TypeKind.DOUBLE;
  }

  /**
   * Converts {@code vector} so that its values have {@code to}'s representation, reusing it when
   * they already do (the returned vector's declared type may then differ from {@code to}). For
   * kernels that only read the physical values.
   */
  public static ColumnVector toRepresentation(ColumnVector vector, DataType to) {
    DataType from = vector.type();
    if (sameEncoding(from, to)) {
      return vector;
    }
    return convertVector(vector, from, to);
  }

  /** True when the physical values of {@code from} read the same as values of {@code to}. */
  static boolean sameEncoding(DataType from, DataType to) {
    TypeKind a = from.kind();
    TypeKind b = to.kind();
    if (a == b) {
      return a != TypeKind.DECIMAL || from.scale() == to.scale();
    }
    if (from.physical() != to.physical()) {
      return false;
    }
    return switch (to.physical()) {
      case LONG ->
          TypeCoercion.isIntegerLike(a) && TypeCoercion.isIntegerLike(b) && a != TypeKind.NULL;
      case DOUBLE, BYTES -> true;
      default -> false;
    };
  }

  static ColumnVector convertVector(ColumnVector vector, DataType from, DataType to) {
    int size = vector.size();
    if (from.kind() == TypeKind.NULL) {
      ColumnVectorBuilder builder = new ColumnVectorBuilder(to, Math.max(size, 1));
      for (int i = 0; i < size; i++) {
        builder.appendNull();
      }
      return builder.build();
    }
    if (vector instanceof LongVector longs
        && TypeCoercion.isIntegerLike(from.kind())
        && from.kind() != TypeKind.BOOLEAN
        && to.physical() == PhysicalType.DOUBLE) {
      double[] values = new double[size];
      boolean[] nulls = longs.mayHaveNulls() ? new boolean[size] : null;
      for (int i = 0; i < size; i++) {
        values[i] = longs.getLong(i);
        if (nulls != null) {
          nulls[i] = longs.isNull(i);
        }
      }
      return new DoubleVector(to, values, nulls, size);
    }
    ColumnVector scaled = ScaledDecimalCasts.convert(vector, from, to);
    if (scaled != null) {
      return scaled;
    }
    ColumnVector text = TextVectorCasts.convert(vector, from, to);
    if (text != null) {
      return text;
    }
    ColumnVector numbers = NumericVectorCasts.convert(vector, from, to);
    if (numbers != null) {
      return numbers;
    }
    if (vector instanceof LongVector longs
        && from.kind() == TypeKind.DATE
        && to.kind() == TypeKind.DATETIME) {
      long[] values = new long[size];
      boolean[] nulls = longs.mayHaveNulls() ? new boolean[size] : null;
      for (int i = 0; i < size; i++) {
        values[i] = longs.getLong(i) * 86_400_000_000L;
        if (nulls != null) {
          nulls[i] = longs.isNull(i);
        }
      }
      return new LongVector(to, values, nulls, size);
    }
    ColumnVectorBuilder builder = new ColumnVectorBuilder(to, Math.max(size, 1));
    for (int i = 0; i < size; i++) {
      Object value = vector.getObject(i);
      builder.appendObject(value == null ? null : convert(value, from, to));
    }
    return builder.build();
  }

  /**
   * Converts one non-null boxed value of {@code from} to {@code to}; {@code null} when it does not
   * convert.
   */
  public static Object convert(Object value, DataType from, DataType to) {
    if (value == null) {
      return null;
    }
    return switch (to.kind()) {
      case BOOLEAN -> toBoolean(value);
      case TINYINT, SMALLINT, INT ->
          toIntegerInRange(value, to.kind().minimumLong(), to.kind().maximumLong());
      case BIGINT -> toLong(value);
      case LARGEINT -> toLargeInt(value);
      case FLOAT -> {
        Double number = toDouble(value);
        yield number == null ? null : (double) (float) number.doubleValue();
      }
      case DOUBLE -> toDouble(value);
      case DECIMAL -> toDecimal(value, to.precision(), to.scale());
      case DATE -> {
        LocalDateTime datetime = toDatetime(value);
        yield datetime == null ? null : datetime.toLocalDate();
      }
      case DATETIME -> {
        LocalDateTime datetime = toDatetime(value);
        yield datetime == null ? null : roundToScale(datetime, to.scale());
      }
      case CHAR, VARCHAR -> truncate(toText(value, from), to.length());
      case STRING -> toText(value, from);
      case BITMAP, HLL, QUANTILE_STATE -> {
        // Sketches are made by their own functions (to_bitmap, hll_hash, to_quantile_state).
        if (value instanceof byte[] && from.kind() == to.kind()) {
          yield value;
        }
        throw new BasaltException(ErrorCode.INVALID_CAST, from.sqlName(), to.sqlName());
      }
      case NULL -> null;
    };
  }

  /** The text of a value, as every conversion to a string prints it. */
  public static String toText(Object value, DataType from) {
    if (value instanceof String text) {
      return text;
    }
    if (from.kind().isSketch()) {
      throw new BasaltException(ErrorCode.INVALID_CAST, from.sqlName(), "string");
    }
    return ValueText.format(from, value);
  }

  private static String truncate(String text, int length) {
    if (length <= 0 || text.length() <= length) {
      return text;
    }
    int end = text.offsetByCodePoints(0, Math.min(length, text.codePointCount(0, text.length())));
    return text.substring(0, end);
  }

  private static Boolean toBoolean(Object value) {
    return switch (value) {
      case Boolean b -> b;
      case Long l -> l != 0;
      case Double d -> d != 0;
      case BigDecimal d -> d.signum() != 0;
      case BigInteger i -> i.signum() != 0;
      case String s -> {
        String trimmed = s.strip().toLowerCase(Locale.ROOT);
        if (trimmed.equals("true")) {
          yield true;
        }
        if (trimmed.equals("false")) {
          yield false;
        }
        BigDecimal number = parseNumber(trimmed);
        yield number == null ? null : number.signum() != 0;
      }
      default -> null;
    };
  }

  private static Long toIntegerInRange(Object value, long min, long max) {
    Long number = toLong(value);
    return number == null || number < min || number > max ? null : number;
  }

  /** The value as a BIGINT, or {@code null} when it does not convert or does not fit. */
  public static Long toLong(Object value) {
    return switch (value) {
      case Long l -> l;
      case Boolean b -> b ? 1L : 0L;
      case Double d -> {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          yield null;
        }
        double truncated = d < 0 ? Math.ceil(d) : Math.floor(d);
        yield truncated >= -0x1p63 && truncated < 0x1p63 ? (long) truncated : null;
      }
      case BigDecimal d -> decimalToLong(d.setScale(0, RoundingMode.DOWN));
      case BigInteger i -> i.bitLength() < 64 ? i.longValue() : null;
      case String s -> {
        BigDecimal number = parseNumber(s);
        yield number == null ? null : decimalToLong(number.setScale(0, RoundingMode.DOWN));
      }
      case LocalDate d -> dateNumber(d);
      case LocalDateTime d ->
          dateNumber(d.toLocalDate()) * 1_000_000L
              + d.getHour() * 10_000L
              + d.getMinute() * 100L
              + d.getSecond();
      default -> null;
    };
  }

  private static long dateNumber(LocalDate date) {
    return date.getYear() * 10_000L + date.getMonthValue() * 100L + date.getDayOfMonth();
  }

  private static Long decimalToLong(BigDecimal whole) {
    return whole.compareTo(LONG_MIN) < 0 || whole.compareTo(LONG_MAX) > 0
        ? null
        : whole.longValueExact();
  }

  private static BigInteger toLargeInt(Object value) {
    BigInteger result =
        switch (value) {
          case BigInteger i -> i;
          case Long l -> BigInteger.valueOf(l);
          case Boolean b -> b ? BigInteger.ONE : BigInteger.ZERO;
          case Double d ->
              Double.isNaN(d) || Double.isInfinite(d)
                  ? null
                  : BigDecimal.valueOf(d).setScale(0, RoundingMode.DOWN).toBigInteger();
          case BigDecimal d -> d.setScale(0, RoundingMode.DOWN).toBigInteger();
          case String s -> {
            BigDecimal number = parseNumber(s);
            yield number == null ? null : number.setScale(0, RoundingMode.DOWN).toBigInteger();
          }
          case LocalDate d -> BigInteger.valueOf(dateNumber(d));
          case LocalDateTime d -> BigInteger.valueOf(toLong(d));
          default -> null;
        };
    if (result == null
        || result.compareTo(LARGEINT_MIN) < 0
        || result.compareTo(LARGEINT_MAX) > 0) {
      return null;
    }
    return result;
  }

  /** The value as a DOUBLE, or {@code null} when it does not convert. */
  public static Double toDouble(Object value) {
    return switch (value) {
      case Double d -> d;
      case Long l -> (double) l;
      case Boolean b -> b ? 1.0 : 0.0;
      case BigDecimal d -> d.doubleValue();
      case BigInteger i -> i.doubleValue();
      case String s -> parseDouble(s);
      case LocalDate d -> (double) dateNumber(d);
      case LocalDateTime d -> (double) toLong(d);
      default -> null;
    };
  }

  /** A DOUBLE from text, or {@code null} when the trimmed text is not a number. */
  public static Double parseDouble(String text) {
    String trimmed = text.strip();
    if (!NUMBER.matcher(trimmed).matches()) {
      return null;
    }
    return Double.parseDouble(trimmed);
  }

  /** An exact number from text, or {@code null} when the trimmed text is not a number. */
  public static BigDecimal parseNumber(String text) {
    String trimmed = text.strip();
    if (!NUMBER.matcher(trimmed).matches()) {
      return null;
    }
    return new BigDecimal(trimmed.startsWith("+") ? trimmed.substring(1) : trimmed);
  }

  /** The value as DECIMAL(precision, scale), or {@code null} when it does not convert or fit. */
  public static BigDecimal toDecimal(Object value, int precision, int scale) {
    BigDecimal number =
        switch (value) {
          case BigDecimal d -> d;
          case Long l -> BigDecimal.valueOf(l);
          case Boolean b -> b ? BigDecimal.ONE : BigDecimal.ZERO;
          case Double d ->
              Double.isNaN(d) || Double.isInfinite(d) ? null : new BigDecimal(Double.toString(d));
          case BigInteger i -> new BigDecimal(i);
          case String s -> parseNumber(s);
          case LocalDate d -> BigDecimal.valueOf(dateNumber(d));
          case LocalDateTime d -> BigDecimal.valueOf(toLong(d));
          default -> null;
        };
    if (number == null) {
      return null;
    }
    BigDecimal scaled = number.setScale(scale, RoundingMode.HALF_UP);
    int integerDigits = scaled.precision() - scaled.scale();
    if (scaled.signum() != 0 && integerDigits > precision - scale) {
      return null;
    }
    return scaled;
  }

  /** The value as a datetime, or {@code null} when it does not convert. */
  public static LocalDateTime toDatetime(Object value) {
    return switch (value) {
      case LocalDateTime d -> d;
      case LocalDate d -> d.atStartOfDay();
      case String s -> TemporalParser.parseDatetime(s);
      case Long l -> TemporalParser.fromNumber(l);
      case BigInteger i -> i.bitLength() < 64 ? TemporalParser.fromNumber(i.longValue()) : null;
      case BigDecimal d -> d.signum() < 0 ? null : TemporalParser.fromNumber(d.longValue());
      case Double d -> d < 0 || d > 1e15 ? null : TemporalParser.fromNumber(d.longValue());
      default -> null;
    };
  }

  /** The last DATETIME value MySQL and Doris accept. */
  private static final LocalDateTime MAX_DATETIME = LocalDateTime.of(9999, 12, 31, 23, 59, 59);

  /**
   * Rounds the fraction of a second to {@code scale} digits (at most 6), half up, as MySQL does;
   * {@code null} when rounding carries past {@code 9999-12-31 23:59:59} (MySQL answers NULL there
   * too, with a warning) instead of wrapping into year 10000.
   */
  public static LocalDateTime roundToScale(LocalDateTime datetime, int scale) {
    long unit = (long) Math.pow(10, 9 - Math.min(scale, 6));
    long nanos = datetime.getNano();
    long rounded = (nanos + unit / 2) / unit * unit;
    if (rounded >= 1_000_000_000L && !datetime.withNano(0).isBefore(MAX_DATETIME)) {
      return null;
    }
    return datetime.withNano(0).plusNanos(rounded);
  }

  /** The vectorized CAST; fast paths for numeric widening, everything else row by row. */
  private record CastFunction(DataType from, DataType to) implements ScalarFunction {
    @Override
    public String name() {
      return "cast";
    }

    @Override
    public DataType returnType() {
      return to;
    }

    @Override
    public ColumnVector evaluate(
        List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
      ColumnVector input = arguments.get(0);
      if (from.equals(to) && input.type().equals(to)) {
        return input;
      }
      if (input instanceof LongVector longs && isWidening(from, to)) {
        long[] values = new long[rowCount];
        boolean[] nulls = longs.mayHaveNulls() ? new boolean[rowCount] : null;
        for (int i = 0; i < rowCount; i++) {
          values[i] = longs.getLong(i);
          if (nulls != null) {
            nulls[i] = longs.isNull(i);
          }
        }
        return new LongVector(to, values, nulls, rowCount);
      }
      if (input instanceof BytesVector strings
          && isText(from.kind())
          && isText(to.kind())
          && isRepresentationCompatible(from, to)) {
        // No string can be longer than the target: every value is kept as it is.
        return strings.withType(to);
      }
      if (input instanceof DoubleVector doubles && to.kind() == TypeKind.DOUBLE) {
        double[] values = new double[rowCount];
        boolean[] nulls = doubles.mayHaveNulls() ? new boolean[rowCount] : null;
        for (int i = 0; i < rowCount; i++) {
          values[i] = doubles.getDouble(i);
          if (nulls != null) {
            nulls[i] = doubles.isNull(i);
          }
        }
        return new DoubleVector(to, values, nulls, rowCount);
      }
      return convertVector(input, from, to);
    }

    private static boolean isText(TypeKind kind) {
      return kind == TypeKind.CHAR || kind == TypeKind.VARCHAR || kind == TypeKind.STRING;
    }

    private static boolean isWidening(DataType from, DataType to) {
      TypeKind a = from.kind();
      TypeKind b = to.kind();
      if (a == b && (a == TypeKind.DATE || a.isInteger())) {
        return true;
      }
      return a.isInteger()
          && b.isInteger()
          && b != TypeKind.LARGEINT
          && TypeCoercion.integerDigits(a) <= TypeCoercion.integerDigits(b);
    }
  }
}
