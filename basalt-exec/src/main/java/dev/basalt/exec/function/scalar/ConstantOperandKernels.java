package dev.basalt.exec.function.scalar;

import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.scalar.ArithmeticFunctions.Operator;

/**
 * Loops for an arithmetic operator between a column of longs (BIGINT and the smaller integers, or
 * the unscaled values of a scaled-long DECIMAL) and a constant (a literal as a one-row constant
 * vector, {@link Kernels}): the constant in a local and the column read by the row alone, with no
 * {@code row & mask} index and no branch per row, so that the JIT keeps them tight. A loop computes
 * every row, a NULL one included (its value is meaningless); it only says whether some row left 64
 * bits, and the caller then computes the batch with its general loop, which skips NULL rows and
 * reports the first row that overflows, as it always did. Stateless.
 */
final class ConstantOperandKernels {
  private ConstantOperandKernels() {}

  /**
   * Writes the first {@code rowCount} values of {@code column}, a {@link LongVector} or a
   * scaled-long {@link DecimalVector} (its unscaled values), into {@code out}.
   */
  static void copy(ColumnVector column, long[] out, int rowCount) {
    LongVector longs = column instanceof LongVector vector ? vector : null;
    DecimalVector decimals = longs == null ? (DecimalVector) column : null;
    for (int i = 0; i < rowCount; i++) {
      out[i] = longs != null ? longs.getLong(i) : decimals.getUnscaled(i);
    }
  }

  /**
   * Writes into {@code out[0 .. rowCount)} each value of {@code column} (as in {@link #copy}) plus
   * {@code constant}, minus {@code constant} ({@code constant} minus it when {@code constantFirst})
   * or times {@code constant}, for {@link Operator#ADD}, {@link Operator#SUBTRACT} or {@link
   * Operator#MULTIPLY}; returns false when some row's result does not fit 64 bits ({@code out} is
   * then meaningless).
   */
  static boolean exact(
      Operator operator,
      ColumnVector column,
      long constant,
      boolean constantFirst,
      long[] out,
      int rowCount) {
    // A loop per vector class: one that tests the class per row runs slower once it has seen both.
    return column instanceof LongVector longs
        ? switch (operator) {
          case ADD -> {
            long overflow = 0;
            for (int i = 0; i < rowCount; i++) {
              long x = longs.getLong(i);
              long sum = x + constant;
              overflow |= (x ^ sum) & (constant ^ sum);
              out[i] = sum;
            }
            yield overflow >= 0;
          }
          case SUBTRACT -> {
            long overflow = 0;
            for (int i = 0; i < rowCount; i++) {
              long x = constantFirst ? constant : longs.getLong(i);
              long y = constantFirst ? longs.getLong(i) : constant;
              long difference = x - y;
              overflow |= (x ^ y) & (x ^ difference);
              out[i] = difference;
            }
            yield overflow >= 0;
          }
          default -> multiplied(longs, null, constant, out, rowCount);
        }
        : switch (operator) {
          case ADD -> {
            DecimalVector decimals = (DecimalVector) column;
            long overflow = 0;
            for (int i = 0; i < rowCount; i++) {
              long x = decimals.getUnscaled(i);
              long sum = x + constant;
              overflow |= (x ^ sum) & (constant ^ sum);
              out[i] = sum;
            }
            yield overflow >= 0;
          }
          case SUBTRACT -> {
            DecimalVector decimals = (DecimalVector) column;
            long overflow = 0;
            for (int i = 0; i < rowCount; i++) {
              long x = constantFirst ? constant : decimals.getUnscaled(i);
              long y = constantFirst ? decimals.getUnscaled(i) : constant;
              long difference = x - y;
              overflow |= (x ^ y) & (x ^ difference);
              out[i] = difference;
            }
            yield overflow >= 0;
          }
          default -> multiplied(null, (DecimalVector) column, constant, out, rowCount);
        };
  }

  /** {@link #exact} for {@link Operator#MULTIPLY}, of {@code longs} or else {@code decimals}. */
  private static boolean multiplied(
      LongVector longs, DecimalVector decimals, long constant, long[] out, int rowCount) {
    // Math.multiplyExact is an intrinsic (a multiplication and a jump on its overflow flag).
    try {
      if (longs != null) {
        for (int i = 0; i < rowCount; i++) {
          out[i] = Math.multiplyExact(longs.getLong(i), constant);
        }
      } else {
        for (int i = 0; i < rowCount; i++) {
          out[i] = Math.multiplyExact(decimals.getUnscaled(i), constant);
        }
      }
    } catch (ArithmeticException beyondLong) {
      return false;
    }
    return true;
  }
}
