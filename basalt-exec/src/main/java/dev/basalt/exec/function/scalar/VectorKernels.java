package dev.basalt.exec.function.scalar;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.ScalarFunctionResolver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;
import java.util.function.UnaryOperator;

/**
 * Typed kernels for one-argument scalar functions: a loop over the argument vector's primitive
 * values that writes a typed result vector, with no boxing per row. A function family's resolver
 * picks one of these shapes when the argument's physical type fits and falls back to {@link
 * RowWiseScalarFunction} otherwise (e.g. {@code year('2024-01-05')} on a string), so the two must
 * give identical results; {@code ScalarKernelDifferentialTest} checks that on random vectors.
 *
 * <p>All shapes propagate NULL (a NULL row gives NULL without calling the operator). The
 * one-argument shapes receive a literal argument as a vector of repeated values (the planner folds
 * most calls on literals); the shapes of several arguments take constant vectors ({@link
 * ScalarFunction#takesConstantVectors}). Functions of several arguments with their own loops live
 * in {@link StringKernels}, {@link ConditionalKernels}, {@link RoundingKernels} and {@link
 * DateKernels}. Immutable and thread safe when the operators are.
 */
final class VectorKernels {
  private VectorKernels() {}

  /** A per-row computation on a UTF-8 value that gives a {@code long}. */
  @FunctionalInterface
  interface BytesToLong {
    long apply(byte[] bytes, int offset, int length);
  }

  /**
   * A function of a LONG-layout argument (integers, DATE as epoch days, DATETIME as epoch
   * microseconds) giving a LONG-layout result of {@code returnType}.
   */
  static ScalarFunction longToLong(String name, DataType returnType, LongUnaryOperator operator) {
    return new Unary(name, returnType) {
      @Override
      ColumnVector apply(ColumnVector argument, int rowCount) {
        LongVector input = (LongVector) argument;
        boolean[] nulls = Kernels.nullsOf(input, rowCount);
        long[] values = new long[rowCount];
        for (int row = 0; row < rowCount; row++) {
          if (nulls == null || !nulls[row]) {
            values[row] = operator.applyAsLong(input.getLong(row));
          }
        }
        return new LongVector(returnType, values, nulls, rowCount);
      }
    };
  }

  /**
   * A DOUBLE function of a DOUBLE or integer (TINYINT to BIGINT, read as {@code double}) argument;
   * a NaN or infinite result is NULL, as {@link RowWiseScalarFunction} normalizes it ({@code
   * sqrt(-1)}, {@code ln(0)}).
   */
  static ScalarFunction doubleToDouble(String name, DoubleUnaryOperator operator) {
    return new Unary(name, DataType.DOUBLE) {
      @Override
      ColumnVector apply(ColumnVector argument, int rowCount) {
        boolean[] nulls = Kernels.nullsOf(argument, rowCount);
        double[] values = new double[rowCount];
        DoubleVector doubles = argument instanceof DoubleVector vector ? vector : null;
        LongVector longs = doubles == null ? (LongVector) argument : null;
        for (int row = 0; row < rowCount; row++) {
          if (nulls != null && nulls[row]) {
            continue;
          }
          double input = doubles != null ? doubles.getDouble(row) : longs.getLong(row);
          double result = operator.applyAsDouble(input);
          if (Double.isNaN(result) || Double.isInfinite(result)) {
            nulls = Kernels.setNull(nulls, row, rowCount);
          } else {
            values[row] = result;
          }
        }
        return new DoubleVector(DataType.DOUBLE, values, nulls, rowCount);
      }
    };
  }

  /**
   * A DOUBLE function of two DOUBLE or integer arguments (either may be a constant vector); a NaN
   * or infinite result is NULL, as in {@link #doubleToDouble}.
   */
  static ScalarFunction doublesToDouble(String name, DoubleBinaryOperator operator) {
    return new KernelFunction(name, DataType.DOUBLE) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        ColumnVector left = arguments.get(0);
        ColumnVector right = arguments.get(1);
        double[] lefts = asDoubles(left);
        double[] rights = asDoubles(right);
        int leftMask = Kernels.rowMask(left, rowCount);
        int rightMask = Kernels.rowMask(right, rowCount);
        boolean[] nulls = Kernels.mergeNulls(left, right, rowCount);
        double[] values = new double[rowCount];
        for (int row = 0; row < rowCount; row++) {
          if (Kernels.isNull(nulls, row)) {
            continue;
          }
          double result = operator.applyAsDouble(lefts[row & leftMask], rights[row & rightMask]);
          if (Double.isNaN(result) || Double.isInfinite(result)) {
            nulls = Kernels.setNull(nulls, row, rowCount);
          } else {
            values[row] = result;
          }
        }
        return new DoubleVector(DataType.DOUBLE, values, nulls, rowCount);
      }
    };
  }

  /** The values of a DOUBLE or integer vector as doubles (a NULL row's value is meaningless). */
  private static double[] asDoubles(ColumnVector vector) {
    int size = vector.size();
    double[] values = new double[size];
    if (vector instanceof DoubleVector doubles) {
      for (int row = 0; row < size; row++) {
        values[row] = doubles.getDouble(row);
      }
    } else {
      LongVector longs = (LongVector) vector;
      for (int row = 0; row < size; row++) {
        values[row] = longs.getLong(row);
      }
    }
    return values;
  }

  /** Whether {@link #doubleToDouble} takes an argument of {@code type}. */
  static boolean isDoubleOrLongInteger(DataType type) {
    return type.kind() == TypeKind.DOUBLE || isLongInteger(type);
  }

  /**
   * A function of two LONG-layout arguments (at {@code leftIndex} and {@code rightIndex}; any other
   * argument, such as a constant unit, is not read) giving a LONG-layout result of {@code
   * returnType}. A result equal to {@code nullResult} (a value no real result takes, e.g. {@link
   * Long#MIN_VALUE} for dates out of range) is NULL. Either argument may be a constant vector.
   */
  static ScalarFunction longsToLong(
      String name,
      DataType returnType,
      int leftIndex,
      int rightIndex,
      LongBinaryOperator operator,
      long nullResult) {
    return new ScalarFunction() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public DataType returnType() {
        return returnType;
      }

      @Override
      public boolean takesConstantVectors() {
        return true;
      }

      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        LongVector left = (LongVector) arguments.get(leftIndex);
        LongVector right = (LongVector) arguments.get(rightIndex);
        int leftMask = Kernels.rowMask(left, rowCount);
        int rightMask = Kernels.rowMask(right, rowCount);
        boolean[] nulls = Kernels.mergeNulls(left, right, rowCount);
        long[] values = new long[rowCount];
        for (int row = 0; row < rowCount; row++) {
          if (nulls != null && nulls[row]) {
            continue;
          }
          long result =
              operator.applyAsLong(left.getLong(row & leftMask), right.getLong(row & rightMask));
          if (result == nullResult) {
            nulls = Kernels.setNull(nulls, row, rowCount);
          } else {
            values[row] = result;
          }
        }
        return new LongVector(returnType, values, nulls, rowCount);
      }
    };
  }

  /** Whether a vector of {@code type} is a {@link LongVector} of integers (not LARGEINT). */
  static boolean isLongInteger(DataType type) {
    return type.kind().isInteger() && type.kind() != TypeKind.LARGEINT;
  }

  /** A function of a string argument giving a LONG-layout result of {@code returnType}. */
  static ScalarFunction bytesToLong(String name, DataType returnType, BytesToLong operator) {
    return new Unary(name, returnType) {
      @Override
      ColumnVector apply(ColumnVector argument, int rowCount) {
        BytesVector input = (BytesVector) argument;
        boolean[] nulls = Kernels.nullsOf(input, rowCount);
        byte[] bytes = input.rawBytes();
        long[] values = new long[rowCount];
        for (int row = 0; row < rowCount; row++) {
          if (nulls == null || !nulls[row]) {
            values[row] = operator.apply(bytes, input.offset(row), input.byteLength(row));
          }
        }
        return new LongVector(returnType, values, nulls, rowCount);
      }
    };
  }

  /**
   * A string function that maps each ASCII byte through {@code asciiTable} (256 entries; only the
   * first 128 are read) when a row is all ASCII, and calls {@code fallback} on the decoded string
   * otherwise, so multi-byte UTF-8 keeps the exact Java semantics of the row-wise body.
   */
  static ScalarFunction asciiMapping(
      String name, DataType returnType, byte[] asciiTable, UnaryOperator<String> fallback) {
    return new Unary(name, returnType) {
      @Override
      ColumnVector apply(ColumnVector argument, int rowCount) {
        BytesVector input = (BytesVector) argument;
        boolean[] nulls = Kernels.nullsOf(input, rowCount);
        byte[] bytes = input.rawBytes();
        int start = rowCount == 0 ? 0 : input.offset(0);
        int end = rowCount == 0 ? 0 : input.offset(rowCount - 1) + input.byteLength(rowCount - 1);
        // ASCII rows keep their length, so the output is at least as large as the input span.
        BytesOutput output = new BytesOutput(Math.max(16, end - start));
        int[] offsets = new int[rowCount + 1];
        for (int row = 0; row < rowCount; row++) {
          offsets[row] = output.size;
          if (nulls != null && nulls[row]) {
            continue;
          }
          int offset = input.offset(row);
          int length = input.byteLength(row);
          if (isAscii(bytes, offset, length)) {
            output.ensure(length);
            byte[] target = output.bytes;
            int position = output.size;
            for (int i = 0; i < length; i++) {
              target[position + i] = asciiTable[bytes[offset + i]];
            }
            output.size += length;
          } else {
            byte[] result =
                fallback
                    .apply(new String(bytes, offset, length, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            output.append(result, 0, result.length);
          }
        }
        offsets[rowCount] = output.size;
        return new BytesVector(returnType, output.bytes, offsets, nulls, rowCount);
      }
    };
  }

  /** Where a row's result starts and ends within its bytes: {@code (start << 32) | end}. */
  @FunctionalInterface
  interface AsciiSlice {
    long bounds(byte[] bytes, int offset, int length);
  }

  /**
   * A string function whose result on an all-ASCII row is a slice of the row ({@code slice} gives
   * its bounds, relative to the row's first byte), and {@code fallback} on the decoded string
   * otherwise, as in {@link #asciiMapping}.
   */
  static ScalarFunction asciiSlice(
      String name, DataType returnType, AsciiSlice slice, UnaryOperator<String> fallback) {
    return new Unary(name, returnType) {
      @Override
      ColumnVector apply(ColumnVector argument, int rowCount) {
        BytesVector input = (BytesVector) argument;
        boolean[] nulls = Kernels.nullsOf(input, rowCount);
        byte[] bytes = input.rawBytes();
        int start = rowCount == 0 ? 0 : input.offset(0);
        int end = rowCount == 0 ? 0 : input.offset(rowCount - 1) + input.byteLength(rowCount - 1);
        BytesOutput output = new BytesOutput(Math.max(16, end - start));
        int[] offsets = new int[rowCount + 1];
        for (int row = 0; row < rowCount; row++) {
          offsets[row] = output.size;
          if (nulls != null && nulls[row]) {
            continue;
          }
          int offset = input.offset(row);
          int length = input.byteLength(row);
          if (isAscii(bytes, offset, length)) {
            long bounds = slice.bounds(bytes, offset, length);
            int from = (int) (bounds >>> 32);
            int to = (int) bounds;
            output.append(bytes, offset + from, to - from);
          } else {
            byte[] result =
                fallback
                    .apply(new String(bytes, offset, length, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            output.append(result, 0, result.length);
          }
        }
        offsets[rowCount] = output.size;
        return new BytesVector(returnType, output.bytes, offsets, nulls, rowCount);
      }
    };
  }

  /**
   * {@code typed} for one argument of a string type (whose vectors are {@link BytesVector}s),
   * otherwise what {@code rowWise} resolves.
   */
  static ScalarFunctionResolver forString(ScalarFunction typed, ScalarFunctionResolver rowWise) {
    return types ->
        types.size() == 1 && types.get(0).kind().isString() ? typed : rowWise.resolve(types);
  }

  /** Whether {@code bytes[offset .. offset + length)} holds only ASCII bytes. */
  static boolean isAscii(byte[] bytes, int offset, int length) {
    int any = 0;
    for (int i = offset, end = offset + length; i < end; i++) {
      any |= bytes[i];
    }
    return any >= 0;
  }

  /** The shared part of the one-argument shapes: name, type and the argument count check. */
  private abstract static class Unary implements ScalarFunction {
    private final String name;
    private final DataType returnType;

    Unary(String name, DataType returnType) {
      this.name = name;
      this.returnType = returnType;
    }

    abstract ColumnVector apply(ColumnVector argument, int rowCount);

    @Override
    public String name() {
      return name;
    }

    @Override
    public DataType returnType() {
      return returnType;
    }

    @Override
    public ColumnVector evaluate(
        List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
      return apply(arguments.get(0), rowCount);
    }
  }
}
