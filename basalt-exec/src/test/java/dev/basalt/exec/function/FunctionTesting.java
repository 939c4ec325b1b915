package dev.basalt.exec.function;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Evaluates registry functions on small hand-built vectors. */
public final class FunctionTesting {
  /** A fixed statement start: 2024-03-15 10:20:30.123456 in Asia/Shanghai. */
  public static final EvaluationContext CONTEXT =
      new EvaluationContext(
          ZoneId.of("Asia/Shanghai"),
          LocalDateTime.of(2024, 3, 15, 10, 20, 30, 123_456_000),
          "test-query");

  private static final FunctionRegistry REGISTRY = FunctionRegistry.builtins();

  private FunctionTesting() {}

  /** A typed argument: the type and the value (Values representation) of one row. */
  public record Argument(DataType type, Object value) {}

  public static Argument arg(DataType type, Object value) {
    return new Argument(type, value);
  }

  public static Argument bigint(long value) {
    return new Argument(DataType.BIGINT, value);
  }

  public static Argument integer(long value) {
    return new Argument(DataType.INT, value);
  }

  public static Argument dbl(double value) {
    return new Argument(DataType.DOUBLE, value);
  }

  public static Argument str(String value) {
    return new Argument(DataType.varchar(100), value);
  }

  public static Argument dec(String value) {
    java.math.BigDecimal decimal = new java.math.BigDecimal(value);
    return new Argument(
        DataType.decimal(Math.max(decimal.precision(), decimal.scale() + 1), decimal.scale()),
        decimal);
  }

  public static Argument date(String value) {
    return new Argument(DataType.DATE, java.time.LocalDate.parse(value));
  }

  public static Argument datetime(String value) {
    LocalDateTime parsed = LocalDateTime.parse(value.replace(' ', 'T'));
    return new Argument(DataType.datetime(parsed.getNano() == 0 ? 0 : 6), parsed);
  }

  public static Argument nullOf(DataType type) {
    return new Argument(type, null);
  }

  /** Calls {@code name} on one row and returns its result. */
  public static Object call(String name, Argument... arguments) {
    return evaluate(resolve(name, arguments), arguments);
  }

  /** Like {@link #call} but tells the resolver which arguments are constants (all of them). */
  public static Object callConstant(String name, Argument... arguments) {
    List<DataType> types = types(arguments);
    List<Object> constants = new ArrayList<>();
    for (Argument argument : arguments) {
      constants.add(argument.value());
    }
    return evaluate(REGISTRY.resolveScalar(name, types, constants), arguments);
  }

  public static ScalarFunction resolve(String name, Argument... arguments) {
    return REGISTRY.resolveScalar(name, types(arguments));
  }

  public static DataType returnType(String name, Argument... arguments) {
    return resolve(name, arguments).returnType();
  }

  public static DataType constantReturnType(String name, Argument... arguments) {
    List<Object> constants = new ArrayList<>();
    for (Argument argument : arguments) {
      constants.add(argument.value());
    }
    return REGISTRY.resolveScalar(name, types(arguments), constants).returnType();
  }

  public static Object evaluate(ScalarFunction function, Argument... arguments) {
    List<ColumnVector> vectors = new ArrayList<>();
    for (Argument argument : arguments) {
      vectors.add(ColumnVectorBuilder.constant(argument.type(), argument.value(), 1));
    }
    ColumnVector result = function.evaluate(vectors, 1, CONTEXT);
    if (!result.type().equals(function.returnType())) {
      throw new AssertionError(
          "vector type " + result.type() + " differs from return type " + function.returnType());
    }
    return result.getObject(0);
  }

  public static List<DataType> types(Argument... arguments) {
    return Arrays.stream(arguments).map(Argument::type).toList();
  }

  /** A vector of {@code values} of {@code type}. */
  public static ColumnVector vector(DataType type, Object... values) {
    ColumnVectorBuilder builder = new ColumnVectorBuilder(type);
    for (Object value : values) {
      builder.appendObject(value);
    }
    return builder.build();
  }

  /** All rows of a vector as boxed values. */
  public static List<Object> rows(ColumnVector vector) {
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < vector.size(); i++) {
      rows.add(vector.getObject(i));
    }
    return rows;
  }
}
