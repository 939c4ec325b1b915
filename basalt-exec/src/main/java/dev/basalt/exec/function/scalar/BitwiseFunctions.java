package dev.basalt.exec.function.scalar;

import static dev.basalt.exec.function.scalar.Signatures.rowWise;

import dev.basalt.common.type.DataType;
import dev.basalt.exec.function.FunctionRegistry;
import java.util.List;

/**
 * Doris's bitwise functions on BIGINT: {@code bitand(a, b)}, {@code bitor(a, b)}, {@code bitxor(a,
 * b)}, {@code bitnot(a)} and {@code bit_count(a)} (the number of one bits of the two's complement).
 * NULL if an argument is NULL. Stateless and thread safe.
 */
public final class BitwiseFunctions {
  private static final DataType N = DataType.BIGINT;

  private BitwiseFunctions() {}

  public static void register(FunctionRegistry.Builder builder) {
    builder.scalar(
        rowWise("bitand", N, List.of(N, N), (a, c) -> (Long) a[0] & (Long) a[1]), "bitand");
    builder.scalar(
        rowWise("bitor", N, List.of(N, N), (a, c) -> (Long) a[0] | (Long) a[1]), "bitor");
    builder.scalar(
        rowWise("bitxor", N, List.of(N, N), (a, c) -> (Long) a[0] ^ (Long) a[1]), "bitxor");
    builder.scalar(rowWise("bitnot", N, List.of(N), (a, c) -> ~(Long) a[0]), "bitnot");
    builder.scalar(
        rowWise("bit_count", N, List.of(N), (a, c) -> (long) Long.bitCount((Long) a[0])),
        "bit_count");
  }
}
