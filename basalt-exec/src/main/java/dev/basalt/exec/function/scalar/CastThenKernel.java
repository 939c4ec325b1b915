package dev.basalt.exec.function.scalar;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.cast.Casts;
import java.util.ArrayList;
import java.util.List;

/**
 * A typed kernel behind vector CASTs of some of its arguments, for a function whose row-wise body
 * converts an argument per row by the CAST rules ({@link Casts#convert}) before reading it, e.g.
 * {@code year(s)} or {@code timestamp(s)} of a text: each such argument is converted for the whole
 * batch by {@link Casts#resolve} (which reads a text's DATE or DATETIME from its bytes, and gives
 * every row what {@link Casts#convert} gives), then the kernel of the converted types runs. A
 * constant argument stays one row. Stateless and thread safe.
 */
final class CastThenKernel implements ScalarFunction {
  private final ScalarFunction kernel;
  private final ScalarFunction[] casts;

  private CastThenKernel(ScalarFunction kernel, ScalarFunction[] casts) {
    this.kernel = kernel;
    this.casts = casts;
  }

  /**
   * {@code kernel}, which reads arguments of {@code kernelTypes}, behind a CAST of each argument
   * whose type in {@code argumentTypes} differs from its type there.
   */
  static ScalarFunction of(
      ScalarFunction kernel, List<DataType> argumentTypes, List<DataType> kernelTypes) {
    ScalarFunction[] casts = new ScalarFunction[argumentTypes.size()];
    for (int i = 0; i < casts.length; i++) {
      DataType from = argumentTypes.get(i);
      DataType to = kernelTypes.get(i);
      casts[i] = from.equals(to) ? null : Casts.resolve(from, to);
    }
    return new CastThenKernel(kernel, casts);
  }

  @Override
  public String name() {
    return kernel.name();
  }

  @Override
  public DataType returnType() {
    return kernel.returnType();
  }

  @Override
  public boolean takesConstantVectors() {
    return true;
  }

  @Override
  public ColumnVector evaluate(
      List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
    List<ColumnVector> converted = new ArrayList<>(arguments.size());
    for (int i = 0; i < arguments.size(); i++) {
      ColumnVector argument = arguments.get(i);
      if (casts[i] != null) {
        argument = casts[i].evaluate(List.of(argument), argument.size(), context);
      }
      if (!kernel.takesConstantVectors() && argument.size() != rowCount) {
        // A constant, converted once: expanded for a kernel that reads full vectors.
        argument = ColumnVectorBuilder.constant(argument.type(), argument.getObject(0), rowCount);
      }
      converted.add(argument);
    }
    return kernel.evaluate(converted, rowCount, context);
  }
}
