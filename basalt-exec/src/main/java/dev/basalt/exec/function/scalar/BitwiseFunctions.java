package dev.basalt.exec.function.scalar;

import static dev.basalt.exec.function.scalar.Signatures.rowWise;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.ScalarFunctionResolver;
import java.util.List;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * Doris's bitwise functions on BIGINT: {@code bitand(a, b)}, {@code bitor(a, b)}, {@code bitxor(a,
 * b)}, {@code bitnot(a)} and {@code bit_count(a)} (the number of one bits of the two's complement).
 * NULL if an argument is NULL. Integer arguments take typed kernels over the longs (either may be a
 * constant vector); other types the row-wise bodies, which convert them to BIGINT first. Stateless
 * and thread safe.
 */
public final class BitwiseFunctions {
  private static final DataType N = DataType.BIGINT;

  private BitwiseFunctions() {}

  public static void register(FunctionRegistry.Builder builder) {
    binary(builder, "bitand", (x, y) -> x & y);
    binary(builder, "bitor", (x, y) -> x | y);
    binary(builder, "bitxor", (x, y) -> x ^ y);
    unary(builder, "bitnot", x -> ~x);
    unary(builder, "bit_count", Long::bitCount);
  }

  /** The row-wise body of {@code name} of two BIGINTs: the reference of its typed kernel. */
  static ScalarFunctionResolver binaryRowWise(String name, LongBinaryOperator operator) {
    return rowWise(
        name, N, List.of(N, N), (a, c) -> operator.applyAsLong((Long) a[0], (Long) a[1]));
  }

  /** The row-wise body of {@code name} of one BIGINT: the reference of its typed kernel. */
  static ScalarFunctionResolver unaryRowWise(String name, LongUnaryOperator operator) {
    return rowWise(name, N, List.of(N), (a, c) -> operator.applyAsLong((Long) a[0]));
  }

  private static void binary(
      FunctionRegistry.Builder builder, String name, LongBinaryOperator operator) {
    ScalarFunction typed =
        new KernelFunction(name, N) {
          @Override
          public ColumnVector evaluate(
              List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
            LongVector left = (LongVector) arguments.get(0);
            LongVector right = (LongVector) arguments.get(1);
            int leftMask = Kernels.rowMask(left, rowCount);
            int rightMask = Kernels.rowMask(right, rowCount);
            long[] out = new long[rowCount];
            for (int row = 0; row < rowCount; row++) {
              out[row] =
                  operator.applyAsLong(
                      left.getLong(row & leftMask), right.getLong(row & rightMask));
            }
            return new LongVector(N, out, Kernels.mergeNulls(left, right, rowCount), rowCount);
          }
        };
    ScalarFunctionResolver rowWise = binaryRowWise(name, operator);
    builder.scalar(
        types ->
            types.size() == 2 && types.stream().allMatch(VectorKernels::isLongInteger)
                ? typed
                : rowWise.resolve(types),
        name);
  }

  private static void unary(
      FunctionRegistry.Builder builder, String name, LongUnaryOperator operator) {
    ScalarFunction typed = VectorKernels.longToLong(name, N, operator);
    ScalarFunctionResolver rowWise = unaryRowWise(name, operator);
    builder.scalar(
        types ->
            types.size() == 1 && VectorKernels.isLongInteger(types.get(0))
                ? typed
                : rowWise.resolve(types),
        name);
  }
}
