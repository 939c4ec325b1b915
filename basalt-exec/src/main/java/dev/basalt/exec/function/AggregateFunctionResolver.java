package dev.basalt.exec.function;

import dev.basalt.common.type.DataType;
import java.util.List;

/** Binds one aggregate name to argument types; registered in a {@link FunctionRegistry}. */
@FunctionalInterface
public interface AggregateFunctionResolver {

  /**
   * The aggregate for these argument types, or {@code null} when they do not fit.
   *
   * @param distinct whether the call was written {@code f(DISTINCT ...)}; the returned function
   *     then counts each distinct argument tuple once
   */
  AggregateFunction resolve(List<DataType> argumentTypes, boolean distinct);
}
