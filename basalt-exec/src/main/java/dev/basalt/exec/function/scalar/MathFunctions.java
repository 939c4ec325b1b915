package dev.basalt.exec.function.scalar;

import static dev.basalt.exec.function.scalar.Signatures.firstOf;
import static dev.basalt.exec.function.scalar.Signatures.rowWise;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.exec.function.ConstantAwareResolver;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.ScalarFunctionResolver;
import dev.basalt.exec.function.TypeCoercion;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Math functions with MySQL semantics. Results outside a function's domain ({@code sqrt(-1)},
 * {@code ln(0)}, {@code log(1, x)}) are NULL, as MySQL.
 *
 * <p>Return types: {@code abs} keeps the kind (integers → BIGINT, LARGEINT, DECIMAL(p,s), DOUBLE);
 * {@code ceil}/{@code floor}/{@code round(x)}: integers → BIGINT, DECIMAL(p,s) → DECIMAL(p-s+1, 0),
 * DOUBLE → DOUBLE; {@code round(x, d)}/{@code truncate(x, d)}: integers → BIGINT, DECIMAL(p,s) →
 * DECIMAL(p-s+1, s) (the scale is kept, digits past {@code d} become zero), DOUBLE → DOUBLE; {@code
 * sign} → TINYINT; {@code bin}/{@code conv} → VARCHAR; everything else DOUBLE. Rounding is half
 * away from zero for every kind (MySQL; {@code round(2.5) = 3, round(-2.5) = -3}). Strings are read
 * as DOUBLE. Stateless and thread safe (rand uses a thread-local source).
 */
public final class MathFunctions {
  private static final DataType D = DataType.DOUBLE;
  private static final DataType N = DataType.BIGINT;

  private MathFunctions() {}

  public static void register(FunctionRegistry.Builder builder) {
    unary(builder, Math::sqrt, "sqrt");
    unary(builder, Math::exp, "exp", "dexp");
    // Doris's fmod: the remainder of a truncated division (sign of the dividend); NULL for 0
    // (x % 0 is NaN, which the kernels and the row-wise body make NULL).
    binary(builder, MathFunctions::fmod, "fmod");
    // Doris's pmod: the remainder made non-negative for a positive divisor; NULL for 0.
    ScalarFunction doublePmod = VectorKernels.doublesToDouble("pmod", MathFunctions::pmod);
    builder.scalar(
        types -> {
          if (types.size() != 2) {
            return null;
          }
          if (types.stream().allMatch(VectorKernels::isLongInteger)) {
            // floorMod's result is below the divisor's magnitude: never Long.MIN_VALUE.
            return VectorKernels.longsToLong(
                "pmod",
                N,
                0,
                1,
                (x, divisor) -> divisor == 0 ? Long.MIN_VALUE : Math.floorMod(x, divisor),
                Long.MIN_VALUE);
          }
          return types.stream().allMatch(VectorKernels::isDoubleOrLongInteger)
              ? doublePmod
              : PMOD_ROW_WISE.resolve(types);
        },
        "pmod");
    integerPair(builder, "gcd", MathKernels::gcd, GCD_ROW_WISE);
    integerPair(builder, "lcm", MathKernels::lcm, LCM_ROW_WISE);
    ScalarFunction typedFactorial =
        VectorKernels.longsToLong(
            "factorial", N, 0, 0, (n, same) -> MathKernels.factorial(n), Long.MIN_VALUE);
    builder.scalar(
        types ->
            types.size() == 1 && VectorKernels.isLongInteger(types.get(0))
                ? typedFactorial
                : FACTORIAL_ROW_WISE.resolve(types),
        "factorial");
    unary(builder, Math::log, "ln");
    unary(builder, Math::log10, "log10");
    unary(builder, x -> Math.log(x) / Math.log(2), "log2");
    unary(builder, Math::toDegrees, "degrees");
    unary(builder, Math::toRadians, "radians");
    unary(builder, Math::sin, "sin");
    unary(builder, Math::cos, "cos");
    unary(builder, Math::tan, "tan");
    unary(builder, x -> 1 / Math.tan(x), "cot");
    unary(builder, Math::asin, "asin");
    unary(builder, Math::acos, "acos");
    unary(builder, Math::cbrt, "cbrt");
    binary(builder, Math::pow, "pow", "power", "fpow");
    binary(builder, Math::atan2, "atan2");
    unaryOrBinary(builder, "atan", Math::atan, Math::atan2);
    unaryOrBinary(builder, "log", MathFunctions::positiveLog, MathFunctions::log);
    builder.scalar(rowWise("pi", D, List.of(), (a, c) -> Math.PI), "pi");
    builder.scalar(rowWise("e", D, List.of(), (a, c) -> Math.E), "e");
    ScalarFunction typedRandom = MathKernels.random();
    ScalarFunction typedSeededRandom = MathKernels.seededRandom();
    builder.scalar(
        types ->
            types.isEmpty()
                ? typedRandom
                : types.size() == 1 && VectorKernels.isLongInteger(types.get(0))
                    ? typedSeededRandom
                    : RAND_ROW_WISE.resolve(types),
        "rand",
        "random");
    builder.scalar(MathFunctions::resolveAbs, "abs");
    builder.scalar(
        types -> resolveRounding("ceil", RoundingMode.CEILING, types, List.of(), true),
        "ceil",
        "ceiling",
        "dceil");
    builder.scalar(
        types -> resolveRounding("floor", RoundingMode.FLOOR, types, List.of(), true),
        "floor",
        "dfloor");
    builder.scalar(
        (ConstantAwareResolver)
            (types, constants) ->
                resolveRounding("round", RoundingMode.HALF_UP, types, constants, true),
        "round",
        "dround");
    builder.scalar(
        (ConstantAwareResolver)
            (types, constants) ->
                resolveRounding("truncate", RoundingMode.DOWN, types, constants, true),
        "truncate");
    ScalarFunction typedSign = MathKernels.sign();
    builder.scalar(
        types -> {
          ScalarFunction rowWise = signRowWise(types);
          boolean typed =
              rowWise != null
                  && (VectorKernels.isDoubleOrLongInteger(types.get(0))
                      || types.get(0).kind() == TypeKind.DECIMAL);
          return typed ? typedSign : rowWise;
        },
        "sign");
    ScalarFunction typedBin = MathKernels.bin();
    builder.scalar(
        types ->
            types.size() == 1 && VectorKernels.isLongInteger(types.get(0))
                ? typedBin
                : BIN_ROW_WISE.resolve(types),
        "bin");
    ScalarFunction typedConv = MathKernels.conv();
    builder.scalar(
        types ->
            types.size() == 3
                    && types.get(0).kind().isString()
                    && VectorKernels.isLongInteger(types.get(1))
                    && VectorKernels.isLongInteger(types.get(2))
                ? typedConv
                : CONV_ROW_WISE.resolve(types),
        "conv");
  }

  /**
   * The row-wise {@code rand()} and {@code rand(seed)}: the typed kernels' reference, and {@code
   * rand} of a seed that is not an integer (converted to BIGINT per row).
   */
  static final ScalarFunctionResolver RAND_ROW_WISE =
      firstOf(
          types ->
              types.isEmpty()
                  ? RowWiseScalarFunction.varying(
                      "rand",
                      D,
                      types,
                      List.of(),
                      (a, c) -> ThreadLocalRandom.current().nextDouble())
                  : null,
          types ->
              types.size() == 1
                  ? RowWiseScalarFunction.varying(
                      "rand",
                      D,
                      types,
                      List.of(N),
                      (a, c) -> new java.util.Random((Long) a[0]).nextDouble())
                  : null);

  /** The row-wise {@code factorial} (Doris's: NULL outside 0..20): the typed kernel's reference. */
  static final ScalarFunctionResolver FACTORIAL_ROW_WISE =
      rowWise(
          "factorial",
          N,
          List.of(N),
          (a, c) -> {
            long n = (Long) a[0];
            if (n < 0 || n > 20) {
              return null;
            }
            long result = 1;
            for (long i = 2; i <= n; i++) {
              result *= i;
            }
            return result;
          });

  /** The row-wise {@code bin}: the typed kernel's reference. */
  static final ScalarFunctionResolver BIN_ROW_WISE =
      rowWise("bin", StringFunctions.TEXT, List.of(N), (a, c) -> Long.toBinaryString((Long) a[0]));

  /** The row-wise {@code conv}: the typed kernel's reference, and the path for other types. */
  static final ScalarFunctionResolver CONV_ROW_WISE =
      rowWise(
          "conv",
          StringFunctions.TEXT,
          List.of(DataType.STRING, N, N),
          (a, c) -> {
            byte[] text = ((String) a[0]).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            BytesOutput output = new BytesOutput(16);
            return MathKernels.convert(text, 0, text.length, (Long) a[1], (Long) a[2], output)
                ? new String(output.bytes, 0, output.size, java.nio.charset.StandardCharsets.UTF_8)
                : null;
          });

  /** The row-wise {@code sign}: the reference of its typed kernel. */
  static ScalarFunction signRowWise(List<DataType> types) {
    if (types.size() != 1 || !isNumberOrString(types.get(0))) {
      return null;
    }
    DataType parameter = types.get(0).kind() == TypeKind.DECIMAL ? types.get(0) : D;
    return RowWiseScalarFunction.of(
        "sign",
        DataType.TINYINT,
        types,
        List.of(parameter),
        (a, c) ->
            a[0] instanceof BigDecimal d ? (long) d.signum() : (long) Math.signum((Double) a[0]));
  }

  private static boolean isNumberOrString(DataType type) {
    return TypeCoercion.isNumericLike(type.kind()) || type.kind().isString();
  }

  /** The natural logarithm of a positive value, NaN (NULL) for the rest. */
  private static double positiveLog(double value) {
    return value <= 0 ? Double.NaN : Math.log(value);
  }

  /** {@code log(base, value)}: NaN (NULL) for a base that is not positive or is 1. */
  static double log(double base, double value) {
    return base <= 0 || base == 1 ? Double.NaN : positiveLog(value) / Math.log(base);
  }

  /** Doris's fmod: NaN (NULL) for a zero divisor. */
  static double fmod(double x, double divisor) {
    return divisor == 0 ? Double.NaN : x % divisor;
  }

  /** Doris's pmod on DOUBLEs: the remainder made non-negative for a positive divisor. */
  static double pmod(double x, double divisor) {
    if (divisor == 0) {
      return Double.NaN;
    }
    double remainder = x % divisor;
    return remainder != 0 && (remainder < 0) != (divisor < 0) ? remainder + divisor : remainder;
  }

  /** The row-wise {@code pmod} (the integer body, then the DOUBLE one). */
  static final ScalarFunctionResolver PMOD_ROW_WISE =
      firstOf(
          types ->
              types.size() == 2 && types.stream().allMatch(VectorKernels::isLongInteger)
                  ? RowWiseScalarFunction.of(
                      "pmod",
                      N,
                      types,
                      List.of(N, N),
                      (a, c) -> {
                        long divisor = (Long) a[1];
                        return divisor == 0 ? null : Math.floorMod((Long) a[0], divisor);
                      })
                  : null,
          binaryRowWise("pmod", MathFunctions::pmod));

  /** The row-wise {@code gcd}, on {@link BigInteger}: the reference of its typed kernel. */
  static final ScalarFunctionResolver GCD_ROW_WISE =
      rowWise(
          "gcd",
          N,
          List.of(N, N),
          (a, c) ->
              BigInteger.valueOf((Long) a[0]).gcd(BigInteger.valueOf((Long) a[1])).longValue());

  /** The row-wise {@code lcm}, on {@link BigInteger}: the reference of its typed kernel. */
  static final ScalarFunctionResolver LCM_ROW_WISE =
      rowWise(
          "lcm",
          N,
          List.of(N, N),
          (a, c) -> {
            BigInteger left = BigInteger.valueOf((Long) a[0]);
            BigInteger right = BigInteger.valueOf((Long) a[1]);
            if (left.signum() == 0 || right.signum() == 0) {
              return 0L;
            }
            BigInteger lcm = left.multiply(right).abs().divide(left.gcd(right));
            return lcm.bitLength() < 64 ? lcm.longValue() : null;
          });

  /**
   * A BIGINT function of two integers: a typed kernel ({@code operator}, whose {@link
   * MathKernels#NO_LCM} result is NULL) for integer vectors, the row-wise body for the rest.
   */
  private static void integerPair(
      FunctionRegistry.Builder builder,
      String name,
      java.util.function.LongBinaryOperator operator,
      ScalarFunctionResolver rowWise) {
    ScalarFunction typed = VectorKernels.longsToLong(name, N, 0, 1, operator, MathKernels.NO_LCM);
    builder.scalar(
        types ->
            types.size() == 2 && types.stream().allMatch(VectorKernels::isLongInteger)
                ? typed
                : rowWise.resolve(types),
        name);
  }

  /**
   * A DOUBLE function of one argument ({@code unary}) or two ({@code binary}), typed for DOUBLE and
   * integer arguments as {@link #unary} and {@link #binary}.
   */
  private static void unaryOrBinary(
      FunctionRegistry.Builder builder,
      String name,
      DoubleUnaryOperator unary,
      DoubleBinaryOperator binary) {
    ScalarFunction typedUnary = VectorKernels.doubleToDouble(name, unary);
    ScalarFunction typedBinary = VectorKernels.doublesToDouble(name, binary);
    builder.scalar(
        firstOf(
            types ->
                types.stream().allMatch(VectorKernels::isDoubleOrLongInteger)
                    ? types.size() == 1 ? typedUnary : types.size() == 2 ? typedBinary : null
                    : null,
            unaryRowWise(name, unary),
            binaryRowWise(name, binary)),
        name);
  }

  /**
   * A DOUBLE function of one argument: a typed kernel for DOUBLE and integer arguments, the
   * row-wise body for the rest (DECIMAL, LARGEINT, strings).
   */
  private static void unary(
      FunctionRegistry.Builder builder, DoubleUnaryOperator operator, String... names) {
    builder.scalar(
        firstOf(
            types ->
                types.size() == 1 && VectorKernels.isDoubleOrLongInteger(types.get(0))
                    ? VectorKernels.doubleToDouble(names[0], operator)
                    : null,
            unaryRowWise(names[0], operator)),
        names);
  }

  /** The row-wise body of a {@link #unary} function; the reference of its typed kernel's tests. */
  static ScalarFunctionResolver unaryRowWise(String name, DoubleUnaryOperator operator) {
    return rowWise(name, D, List.of(D), (a, c) -> operator.applyAsDouble((Double) a[0]));
  }

  /**
   * A DOUBLE function of two arguments: a typed kernel for DOUBLE and integer arguments (either may
   * be a constant vector), the row-wise body for the rest.
   */
  private static void binary(
      FunctionRegistry.Builder builder, DoubleBinaryOperator operator, String... names) {
    ScalarFunction typed = VectorKernels.doublesToDouble(names[0], operator);
    builder.scalar(
        firstOf(
            types ->
                types.size() == 2 && types.stream().allMatch(VectorKernels::isDoubleOrLongInteger)
                    ? typed
                    : null,
            binaryRowWise(names[0], operator)),
        names);
  }

  /** The row-wise body of a {@link #binary} function; the reference of its typed kernel's tests. */
  static ScalarFunctionResolver binaryRowWise(String name, DoubleBinaryOperator operator) {
    return rowWise(
        name, D, List.of(D, D), (a, c) -> operator.applyAsDouble((Double) a[0], (Double) a[1]));
  }

  private static ScalarFunction resolveAbs(List<DataType> types) {
    ScalarFunction rowWise = absRowWise(types);
    if (rowWise == null) {
      return null;
    }
    TypeKind kind = types.get(0).kind();
    boolean typed =
        VectorKernels.isLongInteger(types.get(0))
            || kind == TypeKind.DOUBLE
            || kind == TypeKind.DECIMAL
            || kind == TypeKind.LARGEINT;
    return typed ? RoundingKernels.abs(rowWise.returnType()) : rowWise;
  }

  /** The row-wise {@code abs}: the reference of its typed kernel. */
  static ScalarFunction absRowWise(List<DataType> types) {
    if (types.size() != 1 || !isNumberOrString(types.get(0))) {
      return null;
    }
    DataType type = types.get(0);
    TypeKind kind = type.kind();
    if (kind == TypeKind.DECIMAL) {
      return RowWiseScalarFunction.of(
          "abs", type, types, List.of(type), (a, c) -> ((BigDecimal) a[0]).abs());
    }
    if (kind == TypeKind.LARGEINT) {
      return RowWiseScalarFunction.of(
          "abs", type, types, List.of(type), (a, c) -> ((BigInteger) a[0]).abs());
    }
    if (TypeCoercion.isIntegerLike(kind)) {
      return RowWiseScalarFunction.of(
          "abs",
          N,
          types,
          List.of(N),
          (a, c) -> {
            long value = (Long) a[0];
            if (value == Long.MIN_VALUE) {
              throw new BasaltException(
                  ErrorCode.VALUE_OUT_OF_RANGE, "BIGINT", "abs(" + value + ")");
            }
            return Math.abs(value);
          });
    }
    return RowWiseScalarFunction.of("abs", D, types, List.of(D), (a, c) -> Math.abs((Double) a[0]));
  }

  /** The largest scale a constant digit count gives a rounded DECIMAL (MySQL's DECIMAL limit). */
  private static final int MAX_CONSTANT_DIGITS = 30;

  /**
   * ceil, floor, round and truncate, with one argument or with a digit count. A DECIMAL rounded to
   * a constant digit count {@code d} gets scale {@code max(d, 0)} (up to 30), as in MySQL: {@code
   * ROUND(2.567, 2)} is 2.57 and {@code TRUNCATE(2.567, 5)} 2.56700; with a digit count that is not
   * a constant the argument's scale is kept.
   */
  static ScalarFunction resolveRounding(
      String name,
      RoundingMode mode,
      List<DataType> types,
      List<Object> constants,
      boolean typedRounding) {
    if (types.isEmpty() || types.size() > 2 || !isNumberOrString(types.get(0))) {
      return null;
    }
    boolean withDigits = types.size() == 2;
    if (!withDigits && name.equals("truncate")) {
      return null;
    }
    DataType type = types.get(0);
    TypeKind kind = type.kind();
    List<DataType> parameters;
    DataType returnType;
    if (kind == TypeKind.DECIMAL) {
      int integerDigits = type.precision() - type.scale() + 1;
      int scale = 0;
      if (withDigits) {
        scale =
            constants.size() == 2 && constants.get(1) instanceof Long digits
                ? (int) Math.max(0, Math.min(MAX_CONSTANT_DIGITS, digits))
                : type.scale();
      }
      returnType = TypeCoercion.decimal(integerDigits, scale);
      parameters = withDigits ? List.of(type, N) : List.of(type);
    } else if (TypeCoercion.isIntegerLike(kind) && kind != TypeKind.LARGEINT) {
      returnType = N;
      parameters = withDigits ? List.of(N, N) : List.of(N);
    } else {
      returnType = D;
      parameters = withDigits ? List.of(D, N) : List.of(D);
    }
    if (typedRounding
        && RoundingKernels.roundsTyped(type)
        && (!withDigits || VectorKernels.isLongInteger(types.get(1)))) {
      return RoundingKernels.round(name, mode, returnType);
    }
    return RowWiseScalarFunction.of(
        name,
        returnType,
        types,
        parameters,
        (a, c) ->
            roundValue(
                name,
                mode,
                returnType,
                a[0],
                withDigits ? RoundingKernels.clampDigits((Long) a[1]) : 0));
  }

  /**
   * {@code value} (a Long, Double or BigDecimal) rounded to {@code digits} places with {@code
   * mode}, as a value of {@code returnType} (a BIGINT beyond 64 bits is an error); {@code null} for
   * a NaN or infinite double, a DOUBLE as {@link RoundingKernels#roundDouble}. The rounding of the
   * row-wise bodies and of the rare rows of {@link RoundingKernels}.
   */
  static Object roundValue(
      String name, RoundingMode mode, DataType returnType, Object value, int digits) {
    if (value instanceof Double x && returnType.kind() == TypeKind.DOUBLE) {
      return Double.isNaN(x) || Double.isInfinite(x)
          ? null
          : RoundingKernels.roundDouble(mode, x, digits);
    }
    BigDecimal decimal =
        switch (value) {
          case BigDecimal d -> d;
          case Long l -> BigDecimal.valueOf(l);
          case Double d -> Double.isNaN(d) || Double.isInfinite(d) ? null : BigDecimal.valueOf(d);
          default -> null;
        };
    if (decimal == null) {
      return null;
    }
    BigDecimal rounded = decimal.setScale(digits, mode);
    return switch (returnType.kind()) {
      case BIGINT -> {
        BigInteger whole = rounded.setScale(0, RoundingMode.DOWN).toBigInteger();
        if (whole.bitLength() >= 64) {
          throw new BasaltException(
              ErrorCode.VALUE_OUT_OF_RANGE, "BIGINT", name + "(" + value + ")");
        }
        yield whole.longValue();
      }
      case DOUBLE -> rounded.doubleValue();
      default -> rounded.setScale(returnType.scale(), RoundingMode.HALF_UP);
    };
  }
}
