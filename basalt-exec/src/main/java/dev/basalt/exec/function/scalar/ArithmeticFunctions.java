package dev.basalt.exec.function.scalar;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.Int128;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.common.vector.ScaledDecimals;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.TypeCoercion;
import dev.basalt.exec.function.cast.Casts;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * The arithmetic operators {@code add}, {@code subtract}, {@code multiply}, {@code divide}, {@code
 * int_divide} (MySQL {@code DIV}), {@code mod} ({@code %}, {@code MOD()}) and {@code negate}.
 *
 * <p>Operand domains and result types:
 *
 * <ul>
 *   <li>integers (and BOOLEAN): computed in 64 bits, result BIGINT; overflow throws {@link
 *       ErrorCode#VALUE_OUT_OF_RANGE} (MySQL's "BIGINT value is out of range"; Doris wraps or
 *       errors depending on version — we always error). With a LARGEINT operand: 128 bits,
 *       LARGEINT.
 *   <li>DECIMAL with an exact operand: DECIMAL; {@code +}/{@code -}: scale max(s1, s2), integer
 *       digits max(i1, i2) + 1; {@code *}: scale s1 + s2, digits i1 + i2; {@code /}: scale s1 + 4
 *       (MySQL {@code div_precision_increment}, as Doris), digits i1 + s2; {@code %}: scale max(s1,
 *       s2), digits max(i1, i2). Precision and scale are capped at 38; a result that does not fit
 *       throws VALUE_OUT_OF_RANGE.
 *   <li>anything with FLOAT or DOUBLE → DOUBLE. Strings convert to DOUBLE; a string that is not a
 *       number gives NULL (Doris; MySQL would use its numeric prefix).
 *   <li>{@code divide} of two integers → DOUBLE (Doris). Division or modulo by zero → NULL.
 *   <li>{@code int_divide} → BIGINT, truncated toward zero; by zero → NULL.
 *   <li>{@code mod}: the result has the sign of the dividend ({@code -7 % 3 = -1}).
 * </ul>
 *
 * Dates are not valid operands (use {@code date_add} and friends). Stateless and thread safe.
 */
public final class ArithmeticFunctions {
  private ArithmeticFunctions() {}

  /** The binary operators. */
  enum Operator {
    ADD("add", "+"),
    SUBTRACT("subtract", "-"),
    MULTIPLY("multiply", "*"),
    DIVIDE("divide", "/"),
    INT_DIVIDE("int_divide", "DIV"),
    MOD("mod", "%");

    final String functionName;
    final String symbol;

    Operator(String functionName, String symbol) {
      this.functionName = functionName;
      this.symbol = symbol;
    }
  }

  /** Where an operation is computed. */
  enum Domain {
    LONG,
    LARGEINT,
    DECIMAL,
    DOUBLE
  }

  public static void register(FunctionRegistry.Builder builder) {
    for (Operator operator : Operator.values()) {
      builder.scalar(types -> resolve(operator, types), operator.functionName);
    }
    builder.scalar(ArithmeticFunctions::resolveNegate, "negate", "negative");
    // Doris's positive(x): x itself, for numbers.
    builder.scalar(
        types ->
            types.size() == 1 && TypeCoercion.isNumericLike(types.get(0).kind())
                ? dev.basalt.exec.function.scalar.RowWiseScalarFunction.of(
                    "positive", types.get(0), types, types, (a, c) -> a[0])
                : null,
        "positive");
  }

  private static boolean isOperand(TypeKind kind) {
    return TypeCoercion.isNumericLike(kind) || kind.isString();
  }

  static Domain domainOf(DataType left, DataType right) {
    TypeKind a = left.kind();
    TypeKind b = right.kind();
    if (a.isString() || b.isString() || TypeCoercion.isFloating(a) || TypeCoercion.isFloating(b)) {
      return Domain.DOUBLE;
    }
    if (a == TypeKind.DECIMAL || b == TypeKind.DECIMAL) {
      return Domain.DECIMAL;
    }
    if (a == TypeKind.LARGEINT || b == TypeKind.LARGEINT) {
      return Domain.LARGEINT;
    }
    return Domain.LONG;
  }

  static ScalarFunction resolve(Operator operator, List<DataType> types) {
    if (types.size() != 2 || !isOperand(types.get(0).kind()) || !isOperand(types.get(1).kind())) {
      return null;
    }
    DataType left = types.get(0);
    DataType right = types.get(1);
    Domain domain = domainOf(left, right);
    if (operator == Operator.DIVIDE && (domain == Domain.LONG || domain == Domain.LARGEINT)) {
      domain = Domain.DOUBLE;
    }
    DataType resultType = resultType(operator, domain, left, right);
    return new BinaryArithmetic(operator, domain, resultType);
  }

  private static DataType resultType(
      Operator operator, Domain domain, DataType left, DataType right) {
    if (operator == Operator.INT_DIVIDE) {
      return DataType.BIGINT;
    }
    return switch (domain) {
      case LONG -> DataType.BIGINT;
      case LARGEINT -> DataType.LARGEINT;
      case DOUBLE -> DataType.DOUBLE;
      case DECIMAL -> {
        DataType a = TypeCoercion.asDecimal(left);
        DataType b = TypeCoercion.asDecimal(right);
        int leftDigits = a.precision() - a.scale();
        int rightDigits = b.precision() - b.scale();
        if (operator != Operator.DIVIDE && isLargeInt(a, b)) {
          // LARGEINT is planned as DECIMAL(39, 0): its + - * % stay LARGEINT, bounded by 128 bits.
          yield a.precision() > b.precision() ? a : b;
        }
        yield switch (operator) {
          case ADD, SUBTRACT ->
              TypeCoercion.decimal(
                  Math.max(leftDigits, rightDigits) + 1, Math.max(a.scale(), b.scale()));
          case MULTIPLY -> TypeCoercion.decimal(leftDigits + rightDigits, a.scale() + b.scale());
          case DIVIDE -> TypeCoercion.decimal(leftDigits + b.scale(), a.scale() + 4);
          case MOD ->
              TypeCoercion.decimal(
                  Math.max(leftDigits, rightDigits), Math.max(a.scale(), b.scale()));
          case INT_DIVIDE -> DataType.BIGINT;
        };
      }
    };
  }

  /**
   * Whether integer operands include a LARGEINT as plans type it, DECIMAL(39, 0) (wider than any
   * DECIMAL column), so that the result is one too.
   */
  private static boolean isLargeInt(DataType a, DataType b) {
    return a.scale() == 0
        && b.scale() == 0
        && Math.max(a.precision(), b.precision()) > DataType.MAX_DECIMAL_PRECISION;
  }

  static BasaltException overflow(String typeName, Object left, String symbol, Object right) {
    return new BasaltException(
        ErrorCode.VALUE_OUT_OF_RANGE, typeName, "(" + left + " " + symbol + " " + right + ")");
  }

  private static DataType domainType(Domain domain, DataType original) {
    return switch (domain) {
      case LONG -> DataType.BIGINT;
      case LARGEINT -> DataType.LARGEINT;
      case DOUBLE -> DataType.DOUBLE;
      case DECIMAL -> TypeCoercion.asDecimal(original);
    };
  }

  /** One binary operator bound to a domain. */
  private record BinaryArithmetic(Operator operator, Domain domain, DataType returnType)
      implements ScalarFunction {

    @Override
    public String name() {
      return operator.functionName;
    }

    /** Linear loops; an overflow throws, a zero divisor gives NULL. */
    @Override
    public boolean evaluatesRejectedRows() {
      return true;
    }

    /**
     * Either operand may be a constant vector (a literal), converted or rescaled once, not once per
     * row. The common shapes of a column and a constant have loops of their own that read the
     * constant from a local ({@link ConstantOperandKernels}, {@link DivisionKernels#byConstant},
     * the DOUBLE loops below); the others read each operand at {@code row & mask} ({@link
     * Kernels#rowMask}), one loop for column-column, column-constant and constant-column.
     */
    @Override
    public boolean takesConstantVectors() {
      return true;
    }

    @Override
    public ColumnVector evaluate(
        List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
      ColumnVector left = arguments.get(0);
      ColumnVector right = arguments.get(1);
      ColumnVector a = Casts.toRepresentation(left, domainType(domain, left.type()));
      ColumnVector b = Casts.toRepresentation(right, domainType(domain, right.type()));
      return switch (domain) {
        case LONG -> longs((LongVector) a, (LongVector) b, rowCount);
        case DOUBLE -> doubles((DoubleVector) a, (DoubleVector) b, rowCount);
        case DECIMAL -> decimals((DecimalVector) a, (DecimalVector) b, rowCount);
        case LARGEINT -> largeInts((LargeIntVector) a, (LargeIntVector) b, rowCount);
      };
    }

    private ColumnVector longs(LongVector a, LongVector b, int rowCount) {
      long[] out = new long[rowCount];
      boolean[] nulls = Kernels.mergeNulls(a, b, rowCount);
      int leftMask = Kernels.rowMask(a, rowCount);
      int rightMask = Kernels.rowMask(b, rowCount);
      if ((leftMask == 0) != (rightMask == 0)
          && !(leftMask == 0 ? a : b).isNull(0)
          && (rightMask == 0 || !isDivision(operator))) {
        // A column and a constant: a loop of their own where one applies and no row overflows;
        // otherwise the loops below (they report the first row that overflows and is not NULL).
        boolean constantFirst = leftMask == 0;
        long constant = (constantFirst ? a : b).getLong(0);
        LongVector column = constantFirst ? b : a;
        boolean computed;
        if (isDivision(operator)) {
          ConstantOperandKernels.copy(column, out, rowCount);
          computed =
              DivisionKernels.byConstant(
                  operator == Operator.MOD
                      ? DivisionKernels.Kind.REMAINDER
                      : DivisionKernels.Kind.TRUNCATED_QUOTIENT,
                  out,
                  constant,
                  rowCount);
        } else {
          computed =
              ConstantOperandKernels.exact(
                  operator, column, constant, constantFirst, out, rowCount);
        }
        if (computed) {
          return new LongVector(returnType, out, nulls, rowCount);
        }
      }
      switch (operator) {
        case ADD -> {
          for (int i = 0; i < rowCount; i++) {
            long x = a.getLong(i & leftMask);
            long y = b.getLong(i & rightMask);
            long sum = x + y;
            if (((x ^ sum) & (y ^ sum)) < 0 && (nulls == null || !nulls[i])) {
              throw overflow("BIGINT", x, "+", y);
            }
            out[i] = sum;
          }
        }
        case SUBTRACT -> {
          for (int i = 0; i < rowCount; i++) {
            long x = a.getLong(i & leftMask);
            long y = b.getLong(i & rightMask);
            long difference = x - y;
            if (((x ^ y) & (x ^ difference)) < 0 && (nulls == null || !nulls[i])) {
              throw overflow("BIGINT", x, "-", y);
            }
            out[i] = difference;
          }
        }
        case MULTIPLY -> {
          for (int i = 0; i < rowCount; i++) {
            long x = a.getLong(i & leftMask);
            long y = b.getLong(i & rightMask);
            long high = Math.multiplyHigh(x, y);
            long product = x * y;
            if (high != (product >> 63) && (nulls == null || !nulls[i])) {
              throw overflow("BIGINT", x, "*", y);
            }
            out[i] = product;
          }
        }
        case INT_DIVIDE, MOD -> {
          for (int i = 0; i < rowCount; i++) {
            if (nulls != null && nulls[i]) {
              continue;
            }
            long x = a.getLong(i & leftMask);
            long y = b.getLong(i & rightMask);
            if (y == 0) {
              nulls = Kernels.setNull(nulls, i, rowCount);
            } else if (operator == Operator.MOD) {
              out[i] = x % y;
            } else if (x == Long.MIN_VALUE && y == -1) {
              throw overflow("BIGINT", x, "DIV", y);
            } else {
              out[i] = x / y;
            }
          }
        }
        case DIVIDE -> throw new IllegalStateException("integer division is computed as DOUBLE");
      }
      return new LongVector(returnType, out, nulls, rowCount);
    }

    private ColumnVector doubles(DoubleVector a, DoubleVector b, int rowCount) {
      boolean[] nulls = Kernels.mergeNulls(a, b, rowCount);
      int leftMask = Kernels.rowMask(a, rowCount);
      int rightMask = Kernels.rowMask(b, rowCount);
      if (operator == Operator.INT_DIVIDE) {
        long[] out = new long[rowCount];
        for (int i = 0; i < rowCount; i++) {
          if (nulls != null && nulls[i]) {
            continue;
          }
          double y = b.getDouble(i & rightMask);
          if (y == 0) {
            nulls = Kernels.setNull(nulls, i, rowCount);
            continue;
          }
          double quotient = a.getDouble(i & leftMask) / y;
          if (!(quotient >= -0x1p63 && quotient < 0x1p63)) {
            throw overflow("BIGINT", a.getDouble(i & leftMask), "DIV", y);
          }
          out[i] = (long) quotient;
        }
        return new LongVector(returnType, out, nulls, rowCount);
      }
      double[] out = new double[rowCount];
      switch (operator) {
        case ADD, SUBTRACT, MULTIPLY -> addSubtractMultiply(a, b, out, rowCount);
        case DIVIDE, MOD -> {
          boolean divide = operator == Operator.DIVIDE;
          if (rightMask == 0 && leftMask != 0 && !b.isNull(0) && b.getDouble(0) != 0) {
            // A column by a constant that is not zero: no NULL to make, the divisor in a local.
            double divisor = b.getDouble(0);
            if (divide) {
              for (int i = 0; i < rowCount; i++) {
                out[i] = a.getDouble(i) / divisor;
              }
            } else {
              for (int i = 0; i < rowCount; i++) {
                out[i] = a.getDouble(i) % divisor;
              }
            }
            break;
          }
          for (int i = 0; i < rowCount; i++) {
            double y = b.getDouble(i & rightMask);
            if (y == 0) {
              if (nulls == null || !nulls[i]) {
                nulls = Kernels.setNull(nulls, i, rowCount);
              }
              continue;
            }
            out[i] = divide ? a.getDouble(i & leftMask) / y : a.getDouble(i & leftMask) % y;
          }
        }
        case INT_DIVIDE -> throw new IllegalStateException("handled above");
      }
      for (int i = 0; i < rowCount; i++) {
        if (Double.isInfinite(out[i]) && (nulls == null || !nulls[i])) {
          throw overflow(
              "DOUBLE", a.getDouble(i & leftMask), operator.symbol, b.getDouble(i & rightMask));
        }
      }
      return new DoubleVector(returnType, out, nulls, rowCount);
    }

    /**
     * {@code +}, {@code -} and {@code *} of doubles, a loop for each shape (two columns, a column
     * and a constant, a constant and a column) that indexes its vectors by the row alone rather
     * than by {@code row & mask}, which the JIT can vectorize.
     */
    private void addSubtractMultiply(DoubleVector a, DoubleVector b, double[] out, int rowCount) {
      boolean leftConstant = Kernels.isConstant(a, rowCount);
      boolean rightConstant = Kernels.isConstant(b, rowCount);
      if (leftConstant && rightConstant) {
        double x = a.getDouble(0);
        double y = b.getDouble(0);
        java.util.Arrays.fill(
            out, operator == Operator.ADD ? x + y : operator == Operator.SUBTRACT ? x - y : x * y);
      } else if (rightConstant) {
        double y = b.getDouble(0);
        switch (operator) {
          case ADD -> {
            for (int i = 0; i < rowCount; i++) {
              out[i] = a.getDouble(i) + y;
            }
          }
          case SUBTRACT -> {
            for (int i = 0; i < rowCount; i++) {
              out[i] = a.getDouble(i) - y;
            }
          }
          default -> {
            for (int i = 0; i < rowCount; i++) {
              out[i] = a.getDouble(i) * y;
            }
          }
        }
      } else if (leftConstant) {
        double x = a.getDouble(0);
        switch (operator) {
          case ADD -> {
            for (int i = 0; i < rowCount; i++) {
              out[i] = x + b.getDouble(i);
            }
          }
          case SUBTRACT -> {
            for (int i = 0; i < rowCount; i++) {
              out[i] = x - b.getDouble(i);
            }
          }
          default -> {
            for (int i = 0; i < rowCount; i++) {
              out[i] = x * b.getDouble(i);
            }
          }
        }
      } else {
        switch (operator) {
          case ADD -> {
            for (int i = 0; i < rowCount; i++) {
              out[i] = a.getDouble(i) + b.getDouble(i);
            }
          }
          case SUBTRACT -> {
            for (int i = 0; i < rowCount; i++) {
              out[i] = a.getDouble(i) - b.getDouble(i);
            }
          }
          default -> {
            for (int i = 0; i < rowCount; i++) {
              out[i] = a.getDouble(i) * b.getDouble(i);
            }
          }
        }
      }
    }

    private ColumnVector decimals(DecimalVector a, DecimalVector b, int rowCount) {
      if (a.isScaledLong() && b.isScaledLong()) {
        ColumnVector scaled = scaledLongs(a, b, rowCount);
        if (scaled != null) {
          return scaled;
        }
      }
      if (a.isUnboxed() && b.isUnboxed() && isDivision(operator)) {
        ColumnVector divided = unboxedDivision(a, b, rowCount);
        if (divided != null) {
          return divided;
        }
      } else if (a.isUnboxed() && b.isUnboxed()) {
        ColumnVector wide = int128Decimals(a, b, rowCount);
        if (wide != null) {
          return wide;
        }
      }
      return boxedDecimals(a, b, rowCount);
    }

    private static boolean isDivision(Operator operator) {
      return operator == Operator.DIVIDE
          || operator == Operator.MOD
          || operator == Operator.INT_DIVIDE;
    }

    /**
     * {@code /}, {@code %} and {@code DIV} of unboxed decimals on longs or 128-bit halves ({@link
     * DivisionKernels}): {@code /} rounds the dividend times 10^(result scale - s1 + s2) divided by
     * the divisor half away from zero, {@code %} and {@code DIV} work on both operands at a common
     * scale. {@code null} when the boxed path must compute the batch (it reports what does not
     * fit).
     */
    private ColumnVector unboxedDivision(DecimalVector a, DecimalVector b, int rowCount) {
      int precision = Math.min(returnType.precision(), DataType.MAX_DECIMAL_PRECISION);
      return switch (operator) {
        case DIVIDE -> {
          int shift = returnType.scale() - a.scale() + b.scale();
          yield DivisionKernels.compute(
              DivisionKernels.Kind.ROUNDED_QUOTIENT,
              a,
              b,
              Math.max(shift, 0),
              Math.max(-shift, 0),
              returnType,
              precision,
              rowCount);
        }
        case MOD -> {
          int scale = returnType.scale();
          yield scale < Math.max(a.scale(), b.scale())
              ? null
              : DivisionKernels.compute(
                  DivisionKernels.Kind.REMAINDER,
                  a,
                  b,
                  scale - a.scale(),
                  scale - b.scale(),
                  returnType,
                  precision,
                  rowCount);
        }
        case INT_DIVIDE -> {
          int scale = Math.max(a.scale(), b.scale());
          yield DivisionKernels.compute(
              DivisionKernels.Kind.TRUNCATED_QUOTIENT,
              a,
              b,
              scale - a.scale(),
              scale - b.scale(),
              returnType,
              precision,
              rowCount);
        }
        default -> null;
      };
    }

    /**
     * {@code +}, {@code -} and {@code *} of unboxed decimals on 128-bit halves ({@link Int128});
     * {@code null} under the same conditions as {@link #scaledLongs} with 128 bits for 64: the
     * boxed path then computes the batch and reports what does not fit.
     */
    private ColumnVector int128Decimals(DecimalVector a, DecimalVector b, int rowCount) {
      int scale = returnType.scale();
      boolean multiply = operator == Operator.MULTIPLY;
      if (multiply
          ? scale != a.scale() + b.scale()
          : (operator != Operator.ADD && operator != Operator.SUBTRACT)
              || scale < a.scale()
              || scale < b.scale()) {
        return null;
      }
      long[] highs = new long[rowCount];
      long[] lows = new long[rowCount];
      boolean[] nulls = Kernels.mergeNulls(a, b, rowCount);
      int leftMask = Kernels.rowMask(a, rowCount);
      int rightMask = Kernels.rowMask(b, rowCount);
      try {
        if (multiply) {
          for (int i = 0; i < rowCount; i++) {
            if (nulls == null || !nulls[i]) {
              int x = i & leftMask;
              int y = i & rightMask;
              Int128.multiply(a.getHigh(x), a.getLow(x), b.getHigh(y), b.getLow(y), highs, lows, i);
            }
          }
        } else {
          long[] left = rescaled(a, scale, nulls, rowCount);
          long[] right = rescaled(b, scale, nulls, rowCount);
          boolean add = operator == Operator.ADD;
          for (int i = 0; i < rowCount; i++) {
            if (nulls == null || !nulls[i]) {
              int x = i & leftMask;
              int y = i & rightMask;
              long xHigh = left[2 * x];
              long xLow = left[2 * x + 1];
              long yHigh = right[2 * y];
              long yLow = right[2 * y + 1];
              highs[i] =
                  add
                      ? Int128.addHigh(xHigh, xLow, yHigh, yLow)
                      : Int128.subtractHigh(xHigh, xLow, yHigh, yLow);
              lows[i] = add ? xLow + yLow : xLow - yLow;
            }
          }
        }
      } catch (ArithmeticException beyond128Bits) {
        return null;
      }
      int precision = Math.min(returnType.precision(), DataType.MAX_DECIMAL_PRECISION);
      for (int i = 0; i < rowCount; i++) {
        if ((nulls == null || !nulls[i]) && !Int128.fitsDigits(highs[i], lows[i], precision)) {
          return null;
        }
      }
      return new DecimalVector(returnType, highs, lows, nulls, rowCount);
    }

    /**
     * The unscaled values of {@code decimals} at the larger or equal {@code scale} as interleaved
     * halves (high at {@code 2i}, low at {@code 2i + 1}), one row for a constant vector; throws
     * {@link ArithmeticException} when one leaves 128 bits. Rows marked in {@code nulls} (the
     * result's null map) are skipped.
     */
    private static long[] rescaled(
        DecimalVector decimals, int scale, boolean[] nulls, int rowCount) {
      boolean constant = Kernels.isConstant(decimals, rowCount);
      int size = constant ? 1 : rowCount;
      long[] halves = new long[2 * size];
      int shift = scale - decimals.scale();
      long[] productHigh = new long[1];
      long[] productLow = new long[1];
      for (int i = 0; i < size; i++) {
        if (constant ? decimals.isNull(0) : nulls != null && nulls[i]) {
          continue;
        }
        if (shift == 0) {
          halves[2 * i] = decimals.getHigh(i);
          halves[2 * i + 1] = decimals.getLow(i);
        } else {
          Int128.multiply(
              decimals.getHigh(i),
              decimals.getLow(i),
              Int128.powerOfTenHigh(shift),
              Int128.powerOfTenLow(shift),
              productHigh,
              productLow,
              0);
          halves[2 * i] = productHigh[0];
          halves[2 * i + 1] = productLow[0];
        }
      }
      return halves;
    }

    /**
     * {@code +}, {@code -} and {@code *} of scaled-long decimals on their longs; {@code null} when
     * the operator is another, a result needs rounding, overflows 64 bits or exceeds the result
     * precision: the boxed path then computes the batch (and reports what does not fit).
     */
    private ColumnVector scaledLongs(DecimalVector a, DecimalVector b, int rowCount) {
      int scale = returnType.scale();
      boolean multiply = operator == Operator.MULTIPLY;
      if (multiply
          ? scale != a.scale() + b.scale()
          : (operator != Operator.ADD && operator != Operator.SUBTRACT)
              || scale < a.scale()
              || scale < b.scale()) {
        return null;
      }
      boolean[] nulls = Kernels.mergeNulls(a, b, rowCount);
      int leftMask = Kernels.rowMask(a, rowCount);
      int rightMask = Kernels.rowMask(b, rowCount);
      long bound = ScaledDecimals.precisionBound(returnType.precision());
      // The operands' factors to the result's scale, for + and - (at most 10^18: scaled longs).
      long leftFactor = multiply ? 1 : ScaledDecimals.powerOfTen(scale - a.scale());
      long rightFactor = multiply ? 1 : ScaledDecimals.powerOfTen(scale - b.scale());
      long[] out = null;
      if ((leftMask == 0) != (rightMask == 0) && !(leftMask == 0 ? a : b).isNull(0)) {
        out = scaledLongsWithConstant(a, b, leftMask == 0, leftFactor, rightFactor, rowCount);
      }
      if (out == null) {
        out = new long[rowCount];
        try {
          if (multiply) {
            for (int i = 0; i < rowCount; i++) {
              if (nulls == null || !nulls[i]) {
                out[i] =
                    Math.multiplyExact(a.getUnscaled(i & leftMask), b.getUnscaled(i & rightMask));
              }
            }
          } else {
            boolean add = operator == Operator.ADD;
            for (int i = 0; i < rowCount; i++) {
              if (nulls == null || !nulls[i]) {
                long x = Math.multiplyExact(a.getUnscaled(i & leftMask), leftFactor);
                long y = Math.multiplyExact(b.getUnscaled(i & rightMask), rightFactor);
                out[i] = add ? Math.addExact(x, y) : Math.subtractExact(x, y);
              }
            }
          }
        } catch (ArithmeticException beyondLong) {
          return null;
        }
      }
      if (bound != Long.MAX_VALUE) {
        for (int i = 0; i < rowCount; i++) {
          if (out[i] >= bound || out[i] <= -bound) {
            return null;
          }
        }
      }
      return new DecimalVector(returnType, out, nulls, rowCount);
    }

    /**
     * {@link #scaledLongs} of a column and a constant (not NULL; the first operand when {@code
     * constantFirst}) by {@link ConstantOperandKernels#exact}, the constant rescaled once; {@code
     * null} when a row leaves 64 bits or the column needs rescaling (the general loop then computes
     * the batch).
     */
    private long[] scaledLongsWithConstant(
        DecimalVector a,
        DecimalVector b,
        boolean constantFirst,
        long leftFactor,
        long rightFactor,
        int rowCount) {
      DecimalVector column = constantFirst ? b : a;
      long constant = (constantFirst ? a : b).getUnscaled(0);
      if (operator != Operator.MULTIPLY) {
        if ((constantFirst ? rightFactor : leftFactor) != 1) {
          return null;
        }
        long constantFactor = constantFirst ? leftFactor : rightFactor;
        long rescaled = constant * constantFactor;
        if (Math.multiplyHigh(constant, constantFactor) != (rescaled >> 63)) {
          return null;
        }
        constant = rescaled;
      }
      long[] out = new long[rowCount];
      return ConstantOperandKernels.exact(operator, column, constant, constantFirst, out, rowCount)
          ? out
          : null;
    }

    private ColumnVector boxedDecimals(DecimalVector a, DecimalVector b, int rowCount) {
      ColumnVectorBuilder builder = new ColumnVectorBuilder(returnType, Math.max(rowCount, 1));
      int scale = returnType.scale();
      int maxIntegerDigits = returnType.precision() - scale;
      int leftMask = Kernels.rowMask(a, rowCount);
      int rightMask = Kernels.rowMask(b, rowCount);
      for (int i = 0; i < rowCount; i++) {
        BigDecimal x = a.getDecimal(i & leftMask);
        BigDecimal y = b.getDecimal(i & rightMask);
        if (x == null || y == null) {
          builder.appendNull();
          continue;
        }
        if ((operator == Operator.DIVIDE
                || operator == Operator.MOD
                || operator == Operator.INT_DIVIDE)
            && y.signum() == 0) {
          builder.appendNull();
          continue;
        }
        if (operator == Operator.INT_DIVIDE) {
          BigInteger quotient = x.divide(y, 0, RoundingMode.DOWN).toBigInteger();
          if (quotient.bitLength() >= 64) {
            throw overflow("BIGINT", x, "DIV", y);
          }
          builder.appendLong(quotient.longValue());
          continue;
        }
        BigDecimal result =
            switch (operator) {
              case ADD -> x.add(y);
              case SUBTRACT -> x.subtract(y);
              case MULTIPLY -> x.multiply(y);
              case DIVIDE -> x.divide(y, scale, RoundingMode.HALF_UP);
              case MOD -> x.remainder(y);
              case INT_DIVIDE -> throw new IllegalStateException("handled above");
            };
        result = result.setScale(scale, RoundingMode.HALF_UP);
        if (result.signum() != 0 && result.precision() - result.scale() > maxIntegerDigits) {
          throw overflow(
              returnType.sqlName().toUpperCase(java.util.Locale.ROOT), x, operator.symbol, y);
        }
        if (maxIntegerDigits > DataType.MAX_DECIMAL_PRECISION
            && result.unscaledValue().bitLength() > 127) {
          // A LARGEINT (DECIMAL(39, 0) in plans) holds 128 bits, not every 39-digit number.
          throw overflow("LARGEINT", x, operator.symbol, y);
        }
        builder.appendDecimal(result);
      }
      return builder.build();
    }

    private ColumnVector largeInts(LargeIntVector a, LargeIntVector b, int rowCount) {
      int leftMask = Kernels.rowMask(a, rowCount);
      int rightMask = Kernels.rowMask(b, rowCount);
      if (operator == Operator.ADD
          || operator == Operator.SUBTRACT
          || operator == Operator.MULTIPLY) {
        long[] highs = new long[rowCount];
        long[] lows = new long[rowCount];
        boolean[] nulls = Kernels.mergeNulls(a, b, rowCount);
        try {
          for (int i = 0; i < rowCount; i++) {
            if (nulls != null && nulls[i]) {
              continue;
            }
            long xHigh = a.getHigh(i & leftMask);
            long xLow = a.getLow(i & leftMask);
            long yHigh = b.getHigh(i & rightMask);
            long yLow = b.getLow(i & rightMask);
            switch (operator) {
              case ADD -> {
                highs[i] = Int128.addHigh(xHigh, xLow, yHigh, yLow);
                lows[i] = xLow + yLow;
              }
              case SUBTRACT -> {
                highs[i] = Int128.subtractHigh(xHigh, xLow, yHigh, yLow);
                lows[i] = xLow - yLow;
              }
              default -> Int128.multiply(xHigh, xLow, yHigh, yLow, highs, lows, i);
            }
          }
          return new LargeIntVector(returnType, highs, lows, nulls, rowCount);
        } catch (ArithmeticException beyond128Bits) {
          // The boxed loop below finds the row and reports it.
        }
      }
      if (operator == Operator.MOD || operator == Operator.INT_DIVIDE) {
        ColumnVector divided =
            DivisionKernels.compute(
                operator == Operator.MOD
                    ? DivisionKernels.Kind.REMAINDER
                    : DivisionKernels.Kind.TRUNCATED_QUOTIENT,
                a,
                b,
                0,
                0,
                returnType,
                DataType.MAX_DECIMAL_PRECISION + 1,
                rowCount);
        if (divided != null) {
          return divided;
        }
      }
      ColumnVectorBuilder builder = new ColumnVectorBuilder(returnType, Math.max(rowCount, 1));
      for (int i = 0; i < rowCount; i++) {
        BigInteger x = a.getLargeInt(i & leftMask);
        BigInteger y = b.getLargeInt(i & rightMask);
        if (x == null || y == null) {
          builder.appendNull();
          continue;
        }
        if ((operator == Operator.MOD || operator == Operator.INT_DIVIDE) && y.signum() == 0) {
          builder.appendNull();
          continue;
        }
        BigInteger result =
            switch (operator) {
              case ADD -> x.add(y);
              case SUBTRACT -> x.subtract(y);
              case MULTIPLY -> x.multiply(y);
              case MOD -> x.remainder(y);
              case INT_DIVIDE -> x.divide(y);
              case DIVIDE ->
                  throw new IllegalStateException("LARGEINT division is computed as DOUBLE");
            };
        if (operator == Operator.INT_DIVIDE) {
          if (result.bitLength() >= 64) {
            throw overflow("BIGINT", x, "DIV", y);
          }
          builder.appendLong(result.longValue());
          continue;
        }
        if (result.bitLength() > 127) {
          throw overflow("LARGEINT", x, operator.symbol, y);
        }
        builder.appendLargeInt(result);
      }
      return builder.build();
    }
  }

  private static ScalarFunction resolveNegate(List<DataType> types) {
    if (types.size() != 1 || !isOperand(types.get(0).kind())) {
      return null;
    }
    DataType type = types.get(0);
    Domain domain = domainOf(type, type);
    DataType resultType =
        switch (domain) {
          case LONG -> DataType.BIGINT;
          case LARGEINT -> DataType.LARGEINT;
          case DOUBLE -> DataType.DOUBLE;
          case DECIMAL -> type;
        };
    return new Negate(domain, resultType);
  }

  /** Unary minus. */
  private record Negate(Domain domain, DataType returnType) implements ScalarFunction {
    @Override
    public String name() {
      return "negate";
    }

    @Override
    public ColumnVector evaluate(
        List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
      ColumnVector input =
          Casts.toRepresentation(arguments.get(0), domainType(domain, arguments.get(0).type()));
      boolean[] nulls = Kernels.nullsOf(input, rowCount);
      switch (domain) {
        case LONG -> {
          LongVector longs = (LongVector) input;
          long[] out = new long[rowCount];
          for (int i = 0; i < rowCount; i++) {
            long value = longs.getLong(i);
            if (value == Long.MIN_VALUE && (nulls == null || !nulls[i])) {
              throw new BasaltException(ErrorCode.VALUE_OUT_OF_RANGE, "BIGINT", "-(" + value + ")");
            }
            out[i] = -value;
          }
          return new LongVector(returnType, out, nulls, rowCount);
        }
        case DOUBLE -> {
          DoubleVector doubles = (DoubleVector) input;
          double[] out = new double[rowCount];
          for (int i = 0; i < rowCount; i++) {
            out[i] = -doubles.getDouble(i);
          }
          return new DoubleVector(returnType, out, nulls, rowCount);
        }
        default -> {
          if (input instanceof DecimalVector decimals && decimals.isScaledLong()) {
            long[] out = new long[rowCount];
            boolean negatable = true;
            for (int i = 0; i < rowCount && negatable; i++) {
              long value = decimals.getUnscaled(i);
              negatable = value != Long.MIN_VALUE;
              out[i] = -value;
            }
            if (negatable) {
              return new DecimalVector(returnType, out, nulls, rowCount);
            }
          }
          boolean wide =
              input instanceof LargeIntVector
                  || (input instanceof DecimalVector decimals && decimals.isInt128());
          if (wide) {
            IntToLongFunction high =
                input instanceof LargeIntVector integers
                    ? integers::getHigh
                    : ((DecimalVector) input)::getHigh;
            IntToLongFunction low =
                input instanceof LargeIntVector integers
                    ? integers::getLow
                    : ((DecimalVector) input)::getLow;
            long[] highs = new long[rowCount];
            long[] lows = new long[rowCount];
            try {
              for (int i = 0; i < rowCount; i++) {
                if (nulls == null || !nulls[i]) {
                  highs[i] = Int128.negateHigh(high.applyAsLong(i), low.applyAsLong(i));
                  lows[i] = -low.applyAsLong(i);
                }
              }
              return input instanceof LargeIntVector
                  ? new LargeIntVector(returnType, highs, lows, nulls, rowCount)
                  : new DecimalVector(returnType, highs, lows, nulls, rowCount);
            } catch (ArithmeticException beyond128Bits) {
              // The boxed loop below reports the row.
            }
          }
          ColumnVectorBuilder builder = new ColumnVectorBuilder(returnType, Math.max(rowCount, 1));
          for (int i = 0; i < rowCount; i++) {
            Object value = input.getObject(i);
            if (value instanceof BigDecimal decimal) {
              BigDecimal negated = decimal.negate();
              if (returnType.precision() > DataType.MAX_DECIMAL_PRECISION
                  && negated.unscaledValue().bitLength() > 127) {
                // -(-2^127) of a LARGEINT, which plans type DECIMAL(39, 0).
                throw new BasaltException(
                    ErrorCode.VALUE_OUT_OF_RANGE, "LARGEINT", "-(" + decimal + ")");
              }
              builder.appendDecimal(negated);
            } else if (value instanceof BigInteger integer) {
              BigInteger negated = integer.negate();
              if (negated.bitLength() > 127) {
                throw new BasaltException(
                    ErrorCode.VALUE_OUT_OF_RANGE, "LARGEINT", "-(" + integer + ")");
              }
              builder.appendLargeInt(negated);
            } else {
              builder.appendNull();
            }
          }
          return builder.build();
        }
      }
    }
  }
}
