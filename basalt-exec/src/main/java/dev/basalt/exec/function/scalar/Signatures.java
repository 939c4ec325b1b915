package dev.basalt.exec.function.scalar;

import dev.basalt.common.type.DataType;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.ScalarFunctionResolver;
import java.util.Collections;
import java.util.List;

/** Shorthands for declaring row-wise functions with fixed parameter types. */
final class Signatures {
  private Signatures() {}

  /** A NULL-propagating function of exactly {@code parameters.size()} arguments. */
  static ScalarFunctionResolver rowWise(
      String name,
      DataType returnType,
      List<DataType> parameters,
      RowWiseScalarFunction.Body body) {
    return types ->
        types.size() == parameters.size()
            ? RowWiseScalarFunction.of(name, returnType, types, parameters, body)
            : null;
  }

  /** Like {@link #rowWise} but the body also sees NULL arguments. */
  static ScalarFunctionResolver nullAware(
      String name,
      DataType returnType,
      List<DataType> parameters,
      RowWiseScalarFunction.Body body) {
    return types ->
        types.size() == parameters.size()
            ? RowWiseScalarFunction.nullAware(name, returnType, types, parameters, body)
            : null;
  }

  /**
   * A NULL-propagating function of any number (at least {@code minimum}) of arguments of one type.
   */
  static ScalarFunctionResolver variadic(
      String name,
      DataType returnType,
      DataType parameter,
      int minimum,
      RowWiseScalarFunction.Body body) {
    return types ->
        types.size() >= minimum
            ? RowWiseScalarFunction.of(
                name, returnType, types, Collections.nCopies(types.size(), parameter), body)
            : null;
  }

  /** The first resolver that accepts the types. */
  static ScalarFunctionResolver firstOf(ScalarFunctionResolver... resolvers) {
    return types -> {
      for (ScalarFunctionResolver resolver : resolvers) {
        ScalarFunction function = resolver.resolve(types);
        if (function != null) {
          return function;
        }
      }
      return null;
    };
  }
}
