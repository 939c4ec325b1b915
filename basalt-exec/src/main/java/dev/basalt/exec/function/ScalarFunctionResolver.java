package dev.basalt.exec.function;

import dev.basalt.common.type.DataType;
import java.util.List;

/** Binds one function name to argument types; registered in a {@link FunctionRegistry}. */
@FunctionalInterface
public interface ScalarFunctionResolver {

  /**
   * The function for these argument types, or {@code null} when the types do not fit (the registry
   * then reports a clear error). Argument types may be {@link DataType#NULL} for a bare NULL
   * literal.
   */
  ScalarFunction resolve(List<DataType> argumentTypes);
}
