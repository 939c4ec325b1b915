package dev.basalt.exec.function.scalar;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.cast.Casts;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.util.List;

/**
 * Adapts a function written for one row of boxed values ({@link dev.basalt.common.vector.Values}
 * representation) to the vectorized {@link ScalarFunction} contract. Meant for the long tail of
 * functions; hot operators have their own kernels.
 *
 * <p>Before the body runs, each argument is converted from its actual type to the parameter type
 * the body expects, with the same rules as CAST ({@link Casts#convert}); a value that does not
 * convert (e.g. the string {@code 'abc'} where a number is expected) becomes NULL, as in Doris.
 * With {@link NullHandling#PROPAGATE} a NULL argument makes the result NULL without calling the
 * body. The body's result is normalized to the return type: decimals are rounded to its scale, a
 * NaN or infinite DOUBLE becomes NULL (MySQL returns NULL for {@code sqrt(-1)} and {@code ln(0)});
 * a {@link DateTimeException} from the body (a date beyond the supported range) becomes NULL, as
 * MySQL's date arithmetic does.
 *
 * <p>Immutable and thread safe when the body is.
 */
public final class RowWiseScalarFunction implements ScalarFunction {

  /** The per-row computation; {@code arguments} is reused between rows and must not be kept. */
  @FunctionalInterface
  public interface Body {
    /** Returns the result in the representation of {@code Values}, or {@code null} for NULL. */
    Object apply(Object[] arguments, EvaluationContext context);
  }

  /** Whether a NULL argument short-circuits to a NULL result. */
  public enum NullHandling {
    PROPAGATE,
    CALL_WITH_NULLS
  }

  private final String name;
  private final DataType returnType;
  private final DataType[] argumentTypes;
  private final DataType[] parameterTypes;
  private final boolean[] needsConversion;
  private final NullHandling nullHandling;
  private final Body body;
  private final boolean deterministic;

  private RowWiseScalarFunction(
      String name,
      DataType returnType,
      List<DataType> argumentTypes,
      List<DataType> parameterTypes,
      NullHandling nullHandling,
      Body body,
      boolean deterministic) {
    if (argumentTypes.size() != parameterTypes.size()) {
      throw new IllegalArgumentException("one parameter type per argument is required");
    }
    this.name = name;
    this.returnType = returnType;
    this.argumentTypes = argumentTypes.toArray(DataType[]::new);
    this.parameterTypes = parameterTypes.toArray(DataType[]::new);
    this.needsConversion = new boolean[this.argumentTypes.length];
    for (int i = 0; i < needsConversion.length; i++) {
      needsConversion[i] =
          !Casts.isRepresentationCompatible(this.argumentTypes[i], this.parameterTypes[i]);
    }
    this.nullHandling = nullHandling;
    this.body = body;
    this.deterministic = deterministic;
  }

  /** A function whose NULL arguments give NULL. */
  public static ScalarFunction of(
      String name,
      DataType returnType,
      List<DataType> argumentTypes,
      List<DataType> parameterTypes,
      Body body) {
    return new RowWiseScalarFunction(
        name, returnType, argumentTypes, parameterTypes, NullHandling.PROPAGATE, body, true);
  }

  /**
   * Like {@link #of}, for a function that may give another result for the same arguments (RAND(),
   * UUID()): not {@linkplain ScalarFunction#isDeterministic deterministic}, so the body runs for
   * every row even when the arguments are literals.
   */
  public static ScalarFunction varying(
      String name,
      DataType returnType,
      List<DataType> argumentTypes,
      List<DataType> parameterTypes,
      Body body) {
    return new RowWiseScalarFunction(
        name, returnType, argumentTypes, parameterTypes, NullHandling.PROPAGATE, body, false);
  }

  /** A function that sees NULL arguments as {@code null} (for ifnull, concat_ws, isnull ...). */
  public static ScalarFunction nullAware(
      String name,
      DataType returnType,
      List<DataType> argumentTypes,
      List<DataType> parameterTypes,
      Body body) {
    return new RowWiseScalarFunction(
        name, returnType, argumentTypes, parameterTypes, NullHandling.CALL_WITH_NULLS, body, true);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public DataType returnType() {
    return returnType;
  }

  @Override
  public boolean isDeterministic() {
    return deterministic;
  }

  @Override
  public ColumnVector evaluate(
      List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
    ColumnVectorBuilder builder = new ColumnVectorBuilder(returnType, Math.max(rowCount, 1));
    int count = argumentTypes.length;
    Object[] values = new Object[count];
    for (int row = 0; row < rowCount; row++) {
      boolean anyNull = false;
      for (int i = 0; i < count; i++) {
        Object value = arguments.get(i).getObject(row);
        if (value != null && needsConversion[i]) {
          value = Casts.convert(value, argumentTypes[i], parameterTypes[i]);
        }
        values[i] = value;
        anyNull |= value == null;
      }
      if (anyNull && nullHandling == NullHandling.PROPAGATE) {
        builder.appendNull();
        continue;
      }
      Object result;
      try {
        result = body.apply(values, context);
      } catch (DateTimeException outOfRange) {
        // Date arithmetic beyond the supported range is NULL in MySQL, not an error.
        result = null;
      }
      builder.appendObject(normalize(result));
    }
    return builder.build();
  }

  private Object normalize(Object result) {
    if (result == null) {
      return null;
    }
    TypeKind kind = returnType.kind();
    if (kind == TypeKind.DECIMAL) {
      BigDecimal decimal =
          result instanceof BigDecimal value ? value : new BigDecimal(result.toString());
      return decimal.setScale(returnType.scale(), RoundingMode.HALF_UP);
    }
    if (kind == TypeKind.DOUBLE || kind == TypeKind.FLOAT) {
      double value = ((Number) result).doubleValue();
      return Double.isNaN(value) || Double.isInfinite(value) ? null : value;
    }
    if (kind == TypeKind.NULL) {
      return null;
    }
    return result;
  }
}
