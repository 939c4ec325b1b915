package dev.basalt.exec.function;

import dev.basalt.common.type.DataType;

/**
 * Binds {@code CAST(x AS to)} for a value of type {@code from}; one is registered in a {@link
 * FunctionRegistry} by the family that owns the conversion rules ({@code exec.function.cast}), so
 * that the registry does not import them.
 *
 * <p>Implementations are stateless and thread safe.
 */
@FunctionalInterface
public interface CastResolver {

  /**
   * The conversion from {@code from} to {@code to}. Throws {@link
   * dev.basalt.common.error.ErrorCode#INVALID_CAST} (as a {@link
   * dev.basalt.common.error.BasaltException}) for pairs that make no sense.
   */
  ScalarFunction resolve(DataType from, DataType to);
}
