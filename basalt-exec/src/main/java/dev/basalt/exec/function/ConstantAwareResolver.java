package dev.basalt.exec.function;

import dev.basalt.common.type.DataType;
import java.util.List;

/**
 * A {@link ScalarFunctionResolver} whose return type may depend on the value of a constant argument
 * (e.g. {@code str_to_date} returns DATE or DATETIME depending on its format).
 *
 * <p>{@link FunctionRegistry#resolveScalar(String, List, List)} calls {@link #resolve(List, List)};
 * the one-argument {@link #resolve(List)} treats every argument as not constant.
 */
@FunctionalInterface
public interface ConstantAwareResolver extends ScalarFunctionResolver {

  /**
   * @param constantArguments per argument its literal value, or {@link
   *     FunctionRegistry#NOT_CONSTANT}
   * @return the function, or {@code null} when the types do not fit
   */
  ScalarFunction resolve(List<DataType> argumentTypes, List<Object> constantArguments);

  @Override
  default ScalarFunction resolve(List<DataType> argumentTypes) {
    return resolve(
        argumentTypes,
        java.util.Collections.nCopies(argumentTypes.size(), FunctionRegistry.NOT_CONSTANT));
  }
}
