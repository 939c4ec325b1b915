package dev.basalt.exec.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.Int128;
import dev.basalt.common.vector.LargeIntVector;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code /}, {@code %} and {@code DIV} of DECIMALs in the scaled-long and 128-bit layouts and of
 * LARGEINTs, computed on the halves, against the rules of the boxed path written out on {@link
 * BigDecimal}s (quotient at the result's scale rounded half up, remainder, quotient truncated to a
 * BIGINT): seeded random operands of many digit counts and scales, zero divisors (NULL), NULL rows,
 * and results that do not fit (the error of the boxed path).
 */
class DecimalDivisionTest {
  private static final long SEED = 1407L;
  private static final List<String> OPERATORS = List.of("divide", "mod", "int_divide");
  private static final int[][] TYPES = {
    {38, 2}, {38, 10}, {38, 0}, {20, 4}, {18, 2}, {10, 0}, {27, 4}, {38, 30}, {12, 6}
  };

  @Test
  void decimalDivisionOnTheHalvesMatchesBigDecimal() {
    Random random = new Random(SEED);
    for (int[] left : TYPES) {
      for (int[] right : TYPES) {
        DataType leftType = DataType.decimal(left[0], left[1]);
        DataType rightType = DataType.decimal(right[0], right[1]);
        for (String operator : OPERATORS) {
          check(random, operator, leftType, rightType);
        }
      }
    }
  }

  private static void check(Random random, String operator, DataType leftType, DataType rightType) {
    ScalarFunction function =
        FunctionTesting.resolve(
            operator, FunctionTesting.arg(leftType, null), FunctionTesting.arg(rightType, null));
    DataType resultType = function.returnType();
    List<BigInteger> lefts = new ArrayList<>();
    List<BigInteger> rights = new ArrayList<>();
    List<Object> expected = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      BigInteger x = i % 17 == 5 ? null : unscaled(random, leftType.precision());
      BigInteger y = i % 13 == 7 ? BigInteger.ZERO : unscaled(random, rightType.precision());
      String context =
          "seed " + SEED + ": " + operator + " " + leftType + " " + x + ", " + rightType + " " + y;
      Object result = reference(operator, x, leftType, y, rightType, resultType);
      if (result instanceof BasaltException) {
        // Alone in its batch: the boxed path reports the row.
        assertThrows(
            BasaltException.class,
            () -> evaluate(function, List.of(x), leftType, List.of(y), rightType, true),
            context);
        continue;
      }
      lefts.add(x);
      rights.add(y);
      expected.add(result);
    }
    for (boolean wide : new boolean[] {false, true}) {
      ColumnVector results = evaluate(function, lefts, leftType, rights, rightType, wide);
      assertEquals(resultType, results.type());
      for (int i = 0; i < expected.size(); i++) {
        assertEquals(
            expected.get(i),
            results.getObject(i),
            "seed "
                + SEED
                + ": "
                + operator
                + " "
                + leftType
                + " "
                + lefts.get(i)
                + ", "
                + rightType
                + " "
                + rights.get(i)
                + (wide ? " (128-bit layout)" : ""));
      }
    }
  }

  @Test
  void largeIntRemainderAndIntegerDivisionMatchBigInteger() {
    Random random = new Random(SEED + 1);
    for (String operator : List.of("mod", "int_divide")) {
      ScalarFunction function =
          FunctionTesting.resolve(
              operator,
              FunctionTesting.arg(DataType.LARGEINT, null),
              FunctionTesting.arg(DataType.LARGEINT, null));
      int rows = 200;
      long[] xHigh = new long[rows];
      long[] xLow = new long[rows];
      long[] yHigh = new long[rows];
      long[] yLow = new long[rows];
      BigInteger[] xs = new BigInteger[rows];
      BigInteger[] ys = new BigInteger[rows];
      for (int i = 0; i < rows; i++) {
        BigInteger x = signed(random, new BigInteger(1 + random.nextInt(126), random));
        // DIV must fit a BIGINT: keep the divisor close to the dividend there.
        BigInteger y =
            i % 11 == 3
                ? BigInteger.ZERO
                : operator.equals("mod")
                    ? signed(random, new BigInteger(1 + random.nextInt(126), random))
                    : signed(random, x.abs().shiftRight(random.nextInt(60)).add(BigInteger.ONE));
        xs[i] = x;
        ys[i] = y;
        xHigh[i] = Int128.high(x);
        xLow[i] = Int128.low(x);
        yHigh[i] = Int128.high(y);
        yLow[i] = Int128.low(y);
      }
      ColumnVector result =
          function.evaluate(
              List.of(
                  new LargeIntVector(DataType.LARGEINT, xHigh, xLow, null, rows),
                  new LargeIntVector(DataType.LARGEINT, yHigh, yLow, null, rows)),
              rows,
              FunctionTesting.CONTEXT);
      for (int i = 0; i < rows; i++) {
        Object expected =
            ys[i].signum() == 0
                ? null
                : operator.equals("mod")
                    ? xs[i].remainder(ys[i])
                    : (Object) xs[i].divide(ys[i]).longValueExact();
        assertEquals(
            expected, result.getObject(i), "seed " + (SEED + 1) + ": " + xs[i] + ", " + ys[i]);
      }
    }
  }

  private static BigInteger signed(Random random, BigInteger magnitude) {
    return random.nextBoolean() ? magnitude.negate() : magnitude;
  }

  /** A random unscaled value of 1 to {@code precision} digits, either sign. */
  private static BigInteger unscaled(Random random, int precision) {
    int digits = 1 + random.nextInt(precision);
    BigInteger magnitude =
        new BigInteger(BigInteger.TEN.pow(digits).bitLength() + 8, random)
            .mod(BigInteger.TEN.pow(digits));
    return signed(random, magnitude);
  }

  /** The boxed path's rules: a value, {@code null} (NULL) or a {@link BasaltException}. */
  private static Object reference(
      String operator,
      BigInteger xUnscaled,
      DataType leftType,
      BigInteger yUnscaled,
      DataType rightType,
      DataType resultType) {
    if (xUnscaled == null || yUnscaled.signum() == 0) {
      return null;
    }
    BigDecimal x = new BigDecimal(xUnscaled, leftType.scale());
    BigDecimal y = new BigDecimal(yUnscaled, rightType.scale());
    if (operator.equals("int_divide")) {
      BigInteger quotient = x.divide(y, 0, RoundingMode.DOWN).toBigInteger();
      return quotient.bitLength() >= 64
          ? new BasaltException(dev.basalt.common.error.ErrorCode.VALUE_OUT_OF_RANGE, "", "")
          : (Object) quotient.longValue();
    }
    int scale = resultType.scale();
    BigDecimal result =
        (operator.equals("divide") ? x.divide(y, scale, RoundingMode.HALF_UP) : x.remainder(y))
            .setScale(scale, RoundingMode.HALF_UP);
    if (result.signum() != 0
        && result.precision() - result.scale() > resultType.precision() - scale) {
      return new BasaltException(dev.basalt.common.error.ErrorCode.VALUE_OUT_OF_RANGE, "", "");
    }
    return result;
  }

  /**
   * Evaluates on vectors of the values, scaled longs where every value fits and {@code wide} is
   * false, else the 128-bit layout.
   */
  private static ColumnVector evaluate(
      ScalarFunction function,
      List<BigInteger> lefts,
      DataType leftType,
      List<BigInteger> rights,
      DataType rightType,
      boolean wide) {
    int rows = lefts.size();
    return function.evaluate(
        List.of(vector(leftType, lefts, wide), vector(rightType, rights, wide)),
        rows,
        FunctionTesting.CONTEXT);
  }

  private static DecimalVector vector(DataType type, List<BigInteger> values, boolean wide) {
    int rows = values.size();
    long[] highs = new long[rows];
    long[] lows = new long[rows];
    boolean[] nulls = new boolean[rows];
    boolean allFitLong = true;
    for (int i = 0; i < rows; i++) {
      BigInteger value = values.get(i);
      if (value == null) {
        nulls[i] = true;
        continue;
      }
      highs[i] = Int128.high(value);
      lows[i] = Int128.low(value);
      allFitLong &= value.bitLength() < 64;
    }
    return wide || !allFitLong
        ? new DecimalVector(type, highs, lows, nulls, rows)
        : new DecimalVector(type, lows, nulls, rows);
  }
}
