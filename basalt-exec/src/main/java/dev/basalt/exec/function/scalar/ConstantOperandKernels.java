package dev.basalt.exec.function.scalar;

import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.scalar.ArithmeticFunctions.Operator;

/**
 * Loops for an arithmetic operator between a column of longs (BIGINT and the smaller integers, or
 * the unscaled values of a scaled-long DECIMAL) and a constant (a literal as a one-row constant
 * vector, {@link Kernels}): the constant in a local and the column read by the row alone, with no
 * {@code row & mask} index and no branch per row, so that the JIT keeps them tight. A loop works in
 * place on {@code values} (the column's values, {@link #copy}) and computes every row, a NULL one
 * included (its value is meaningless); it only says whether some row left 64 bits, and the caller
 * then computes the batch with its general loop, which skips NULL rows and reports the first row
 * that overflows, as it always did. Stateless.
 */
final class ConstantOperandKernels {
  private ConstantOperandKernels() {}

  /**
   * The first {@code rowCount} values of {@code column}, a {@link LongVector} or a scaled-long
   * {@link DecimalVector} (its unscaled values), into a new array.
   */
  static long[] copy(ColumnVector column, int rowCount) {
    long[] values = new long[rowCount];
    if (column instanceof LongVector longs) {
      for (int i = 0; i < rowCount; i++) {
        values[i] = longs.getLong(i);
      }
    } else {
      DecimalVector decimals = (DecimalVector) column;
      for (int i = 0; i < rowCount; i++) {
        values[i] = decimals.getUnscaled(i);
      }
    }
    return values;
  }

  /**
   * Replaces each of {@code values[0 .. rowCount)} by {@code value + constant}, {@code value -
   * constant} ({@code constant - value} when {@code constantFirst}) or {@code value * constant} for
   * {@link Operator#ADD}, {@link Operator#SUBTRACT} or {@link Operator#MULTIPLY}; returns false
   * when some row's result does not fit 64 bits (the values are then meaningless).
   */
  static boolean exact(
      Operator operator, long[] values, long constant, boolean constantFirst, int rowCount) {
    // The sign bit of `overflow` collects the rows whose result left 64 bits (Hacker's Delight
    // 2-13 for + and -); for *, any bit of `wrong` does (the high half is not the sign of the low).
    long overflow = 0;
    switch (operator) {
      case ADD -> {
        for (int i = 0; i < rowCount; i++) {
          long x = values[i];
          long sum = x + constant;
          overflow |= (x ^ sum) & (constant ^ sum);
          values[i] = sum;
        }
      }
      case SUBTRACT -> {
        if (constantFirst) {
          for (int i = 0; i < rowCount; i++) {
            long y = values[i];
            long difference = constant - y;
            overflow |= (constant ^ y) & (constant ^ difference);
            values[i] = difference;
          }
        } else {
          for (int i = 0; i < rowCount; i++) {
            long x = values[i];
            long difference = x - constant;
            overflow |= (x ^ constant) & (x ^ difference);
            values[i] = difference;
          }
        }
      }
      case MULTIPLY -> {
        long wrong = 0;
        for (int i = 0; i < rowCount; i++) {
          long x = values[i];
          long product = x * constant;
          wrong |= Math.multiplyHigh(x, constant) ^ (product >> 63);
          values[i] = product;
        }
        return wrong == 0;
      }
      default -> throw new IllegalArgumentException("not + - *: " + operator);
    }
    return overflow >= 0;
  }
}
