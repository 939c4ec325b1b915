package dev.basalt.exec.function.aggregate;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.Accumulator;
import dev.basalt.exec.function.AggregateFunction;
import dev.basalt.exec.function.AggregateFunctionResolver;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.GroupedAccumulator;
import dev.basalt.exec.function.TypeCoercion;
import dev.basalt.exec.function.cast.Casts;
import dev.basalt.exec.function.scalar.ConditionalFunctions;
import dev.basalt.exec.function.scalar.StringFunctions;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The built-in aggregates. Every aggregate skips NULL arguments; over no rows (or only NULLs)
 * {@code count} and {@code ndv} give 0 and all others NULL.
 *
 * <ul>
 *   <li>{@code count()} (for {@code count(*)}: no arguments) counts rows; {@code count(a, ...)}
 *       rows where every argument is non-NULL. BIGINT.
 *   <li>{@code sum}: integers → BIGINT (overflow throws VALUE_OUT_OF_RANGE), LARGEINT → LARGEINT,
 *       DECIMAL(p,s) → DECIMAL(38,s), FLOAT/DOUBLE/strings → DOUBLE.
 *   <li>{@code avg}: integers, FLOAT, DOUBLE, strings → DOUBLE (Doris); DECIMAL(p,s) → DECIMAL(38,
 *       max(s, 4)) (Doris keeps at least four fractional digits; MySQL would use s + 4), rounded
 *       half up.
 *   <li>{@code min}, {@code max}, {@code any_value}: the argument's type; strings compare by UTF-8
 *       bytes.
 *   <li>{@code group_concat(x [, separator])}: VARCHAR(65533); default separator {@code ','};
 *       values in arrival order ({@code ORDER BY} inside the call is planned as an ordered
 *       aggregate that sorts each group's rows first).
 *   <li>{@code stddev, std, stddev_pop, stddev_samp, variance, var_pop, variance_pop, var_samp,
 *       variance_samp}: DOUBLE (Welford's online algorithm); sample forms of one row → NULL.
 *   <li>{@code approx_count_distinct}, {@code ndv}: BIGINT. Computed exactly with a hash set —
 *       correct, not approximate, and memory grows with the number of distinct values.
 *   <li>{@code bit_and, bit_or, bit_xor} (also {@code group_bit_and/or/xor}): BIGINT; {@code
 *       bool_and}/{@code bool_or} (also {@code every}): BOOLEAN.
 * </ul>
 *
 * <p>{@code f(DISTINCT ...)} wraps any of these so that each distinct argument tuple is added once.
 *
 * <p>Each aggregate has a row-wise {@link Accumulator} (window frames, ordered aggregates) and, for
 * hash aggregation, a batch {@link GroupedAccumulator} that gives the same values: {@link
 * GroupedAccumulators} (COUNT, SUM, AVG, MIN, MAX, the moments, bit and boolean folds), {@link
 * GroupConcatGroupedAccumulator} and {@link DistinctGroupedAccumulator} (DISTINCT and NDV);
 * any_value is the extremes' batch code keeping the first value. Functions are stateless;
 * accumulators are single-threaded.
 */
public final class AggregateFunctions {
  private AggregateFunctions() {}

  public static void register(FunctionRegistry.Builder builder) {
    builder.aggregate(distinctAware(AggregateFunctions::count), "count");
    builder.aggregate(distinctAware(AggregateFunctions::sum), "sum");
    builder.aggregate(distinctAware(AggregateFunctions::average), "avg");
    builder.aggregate(distinctAware(types -> extreme("min", types, -1)), "min");
    builder.aggregate(distinctAware(types -> extreme("max", types, 1)), "max");
    builder.aggregate(distinctAware(AggregateFunctions::anyValue), "any_value");
    builder.aggregate(distinctAware(AggregateFunctions::groupConcat), "group_concat");
    builder.aggregate(
        distinctAware(types -> moments("stddev_pop", types, true, false)),
        "stddev",
        "std",
        "stddev_pop");
    builder.aggregate(
        distinctAware(types -> moments("stddev_samp", types, true, true)), "stddev_samp");
    builder.aggregate(
        distinctAware(types -> moments("var_pop", types, false, false)),
        "variance",
        "var_pop",
        "variance_pop");
    builder.aggregate(
        distinctAware(types -> moments("var_samp", types, false, true)),
        "var_samp",
        "variance_samp");
    builder.aggregate(
        distinctAware(AggregateFunctions::distinctCount), "approx_count_distinct", "ndv");
    builder.aggregate(
        distinctAware(types -> bits("bit_and", types, GroupedAccumulators.BitFold.Operation.AND)),
        "bit_and",
        "group_bit_and");
    builder.aggregate(
        distinctAware(types -> bits("bit_or", types, GroupedAccumulators.BitFold.Operation.OR)),
        "bit_or",
        "group_bit_or");
    builder.aggregate(
        distinctAware(types -> bits("bit_xor", types, GroupedAccumulators.BitFold.Operation.XOR)),
        "bit_xor",
        "group_bit_xor");
    builder.aggregate(distinctAware(types -> bools("bool_and", types, true)), "bool_and", "every");
    builder.aggregate(distinctAware(types -> bools("bool_or", types, false)), "bool_or");
  }

  /** Resolves the plain aggregate, then wraps it for DISTINCT when asked. */
  private static AggregateFunctionResolver distinctAware(
      java.util.function.Function<List<DataType>, AggregateFunction> plain) {
    return (types, distinct) -> {
      AggregateFunction function = plain.apply(types);
      if (function == null || !distinct || types.isEmpty()) {
        return function;
      }
      return new DistinctAggregate(function, types);
    };
  }

  /** An aggregate described by its name, type and accumulator factory. */
  /**
   * An aggregate described by its name, type, accumulator factory and, when it has one, the factory
   * of its batch implementation for hash aggregation ({@code null}: one accumulator per group).
   */
  private record Simple(
      String name,
      DataType returnType,
      Supplier<Accumulator> factory,
      Supplier<GroupedAccumulator> groupedFactory)
      implements AggregateFunction {
    Simple(String name, DataType returnType, Supplier<Accumulator> factory) {
      this(name, returnType, factory, null);
    }

    @Override
    public Accumulator newAccumulator() {
      return factory.get();
    }

    @Override
    public GroupedAccumulator newGroupedAccumulator() {
      return groupedFactory == null
          ? AggregateFunction.super.newGroupedAccumulator()
          : groupedFactory.get();
    }
  }

  static boolean anyNull(List<ColumnVector> arguments, int row) {
    for (ColumnVector argument : arguments) {
      if (argument.isNull(row)) {
        return true;
      }
    }
    return false;
  }

  private static AggregateFunction count(List<DataType> types) {
    return new Simple(
        "count",
        DataType.BIGINT,
        () ->
            new Accumulator() {
              private long count;

              @Override
              public void add(List<ColumnVector> arguments, int row) {
                if (!anyNull(arguments, row)) {
                  count++;
                }
              }

              @Override
              public Object result() {
                return count;
              }
            },
        GroupedAccumulators.Count::new);
  }

  private static boolean summable(TypeKind kind) {
    return TypeCoercion.isNumericLike(kind) || kind.isString();
  }

  private static AggregateFunction sum(List<DataType> types) {
    if (types.size() != 1 || !summable(types.get(0).kind())) {
      return null;
    }
    DataType type = types.get(0);
    TypeKind kind = type.kind();
    if (kind == TypeKind.DECIMAL || kind == TypeKind.LARGEINT) {
      DataType returnType =
          kind == TypeKind.DECIMAL
              // LARGEINT, planned as DECIMAL(39, 0), keeps its 39 digits.
              ? DataType.decimal(
                  Math.max(DataType.MAX_DECIMAL_PRECISION, type.precision()), type.scale())
              : DataType.LARGEINT;
      return new Simple(
          "sum",
          returnType,
          () -> new ExactSum(type, returnType),
          () -> new GroupedAccumulators.Int128Sum(type, returnType, false));
    }
    if (TypeCoercion.isIntegerLike(kind)) {
      return new Simple(
          "sum",
          DataType.BIGINT,
          () ->
              new Accumulator() {
                private long sum;
                private boolean seen;

                @Override
                public void add(List<ColumnVector> arguments, int row) {
                  ColumnVector argument = arguments.get(0);
                  if (argument.isNull(row)) {
                    return;
                  }
                  long value =
                      argument instanceof LongVector longs
                          ? longs.getLong(row)
                          : Casts.toLong(argument.getObject(row));
                  long next = sum + value;
                  if (((sum ^ next) & (value ^ next)) < 0) {
                    throw new BasaltException(
                        ErrorCode.VALUE_OUT_OF_RANGE, "BIGINT", "sum(" + sum + " + " + value + ")");
                  }
                  sum = next;
                  seen = true;
                }

                @Override
                public Object result() {
                  return seen ? sum : null;
                }
              },
          GroupedAccumulators.SumLong::new);
    }
    return new Simple(
        "sum",
        DataType.DOUBLE,
        () ->
            new Accumulator() {
              private double sum;
              private boolean seen;

              @Override
              public void add(List<ColumnVector> arguments, int row) {
                Double value = doubleAt(arguments.get(0), row);
                if (value != null) {
                  sum += value;
                  seen = true;
                }
              }

              @Override
              public Object result() {
                return seen ? sum : null;
              }
            },
        () -> new GroupedAccumulators.SumDouble(false));
  }

  /**
   * The argument at {@code row} as a double, or {@code null} (NULL, or a string that is no number).
   */
  static Double doubleAt(ColumnVector argument, int row) {
    if (argument.isNull(row)) {
      return null;
    }
    if (argument instanceof DoubleVector doubles) {
      return doubles.getDouble(row);
    }
    if (argument instanceof LongVector longs && argument.type().kind() != TypeKind.BOOLEAN) {
      return (double) longs.getLong(row);
    }
    return Casts.toDouble(argument.getObject(row));
  }

  /** Exact sum of DECIMAL or LARGEINT values, checked against the result type's range. */
  private static final class ExactSum implements Accumulator {
    private final DataType argumentType;
    private final DataType returnType;
    private BigDecimal sum;

    ExactSum(DataType argumentType, DataType returnType) {
      this.argumentType = argumentType;
      this.returnType = returnType;
    }

    @Override
    public void add(List<ColumnVector> arguments, int row) {
      Object value = arguments.get(0).getObject(row);
      if (value == null) {
        return;
      }
      BigDecimal decimal = value instanceof BigDecimal d ? d : new BigDecimal((BigInteger) value);
      sum = sum == null ? decimal : sum.add(decimal);
    }

    @Override
    public Object result() {
      if (sum == null) {
        return null;
      }
      if (returnType.kind() == TypeKind.LARGEINT) {
        BigInteger whole = sum.toBigInteger();
        if (whole.bitLength() > 127) {
          throw new BasaltException(
              ErrorCode.VALUE_OUT_OF_RANGE, "LARGEINT", "sum(" + argumentType.sqlName() + ")");
        }
        return whole;
      }
      return exactSumResult(sum, argumentType, returnType);
    }
  }

  /** A DECIMAL sum scaled to {@code returnType}, checked against its range. */
  static BigDecimal exactSumResult(BigDecimal sum, DataType argumentType, DataType returnType) {
    BigDecimal scaled = sum.setScale(returnType.scale(), RoundingMode.HALF_UP);
    if (scaled.precision() - scaled.scale() > returnType.precision() - returnType.scale()) {
      throw new BasaltException(
          ErrorCode.VALUE_OUT_OF_RANGE,
          returnType.sqlName(),
          "sum(" + argumentType.sqlName() + ")");
    }
    if (returnType.precision() > DataType.MAX_DECIMAL_PRECISION
        && scaled.unscaledValue().bitLength() > 127) {
      // A LARGEINT sum (DECIMAL(39, 0) in plans) holds 128 bits, not every 39-digit number.
      throw new BasaltException(
          ErrorCode.VALUE_OUT_OF_RANGE, "LARGEINT", "sum(" + argumentType.sqlName() + ")");
    }
    return scaled;
  }

  private static AggregateFunction average(List<DataType> types) {
    if (types.size() != 1 || !summable(types.get(0).kind())) {
      return null;
    }
    DataType type = types.get(0);
    if (type.kind() == TypeKind.DECIMAL) {
      DataType returnType =
          DataType.decimal(DataType.MAX_DECIMAL_PRECISION, Math.max(type.scale(), 4));
      return new Simple(
          "avg",
          returnType,
          () ->
              new Accumulator() {
                private BigDecimal sum = BigDecimal.ZERO;
                private long count;

                @Override
                public void add(List<ColumnVector> arguments, int row) {
                  Object value = arguments.get(0).getObject(row);
                  if (value != null) {
                    sum = sum.add((BigDecimal) value);
                    count++;
                  }
                }

                @Override
                public Object result() {
                  return count == 0
                      ? null
                      : sum.divide(
                          BigDecimal.valueOf(count), returnType.scale(), RoundingMode.HALF_UP);
                }
              },
          () -> new GroupedAccumulators.Int128Sum(type, returnType, true));
    }
    boolean exact = TypeCoercion.isIntegerLike(type.kind());
    return new Simple(
        "avg",
        DataType.DOUBLE,
        () ->
            new Accumulator() {
              private double sum;
              private BigInteger exactSum = BigInteger.ZERO;
              private long pending;
              private long count;

              @Override
              public void add(List<ColumnVector> arguments, int row) {
                ColumnVector argument = arguments.get(0);
                if (exact) {
                  if (argument.isNull(row)) {
                    return;
                  }
                  if (!(argument instanceof LongVector longs)) {
                    Object boxed = argument.getObject(row);
                    exactSum =
                        exactSum.add(
                            boxed instanceof BigInteger big
                                ? big
                                : BigInteger.valueOf(Casts.toLong(boxed)));
                    count++;
                    return;
                  }
                  long value = longs.getLong(row);
                  long next = pending + value;
                  if (((pending ^ next) & (value ^ next)) < 0) {
                    exactSum = exactSum.add(BigInteger.valueOf(pending));
                    next = value;
                  }
                  pending = next;
                  count++;
                  return;
                }
                Double value = doubleAt(argument, row);
                if (value != null) {
                  sum += value;
                  count++;
                }
              }

              @Override
              public Object result() {
                if (count == 0) {
                  return null;
                }
                if (exact) {
                  BigDecimal total = new BigDecimal(exactSum.add(BigInteger.valueOf(pending)));
                  return total
                      .divide(BigDecimal.valueOf(count), MathContext.DECIMAL64)
                      .doubleValue();
                }
                return sum / count;
              }
            },
        exact
            ? GroupedAccumulators.ExactAverage::new
            : () -> new GroupedAccumulators.SumDouble(true));
  }

  private static AggregateFunction extreme(String name, List<DataType> types, int direction) {
    if (types.size() != 1) {
      return null;
    }
    DataType type = types.get(0);
    return new Simple(
        name,
        type,
        () ->
            new Accumulator() {
              private boolean seen;
              private long bestLong;
              private double bestDouble;
              private Object best;

              @Override
              public void add(List<ColumnVector> arguments, int row) {
                ColumnVector argument = arguments.get(0);
                if (argument.isNull(row)) {
                  return;
                }
                if (argument instanceof LongVector longs) {
                  long value = longs.getLong(row);
                  if (!seen || Long.compare(value, bestLong) * direction > 0) {
                    bestLong = value;
                  }
                } else if (argument instanceof DoubleVector doubles) {
                  double value = doubles.getDouble(row);
                  if (!seen || Double.compare(value, bestDouble) * direction > 0) {
                    bestDouble = value;
                  }
                } else {
                  Object value = argument.getObject(row);
                  if (!seen || ConditionalFunctions.compareValues(value, best) * direction > 0) {
                    best = value;
                  }
                }
                seen = true;
              }

              @Override
              public Object result() {
                if (!seen) {
                  return null;
                }
                return switch (type.physical()) {
                  case LONG -> dev.basalt.common.vector.Values.fromLong(type, bestLong);
                  case DOUBLE -> bestDouble;
                  default -> best;
                };
              }
            },
        groupedExtreme(type, direction));
  }

  /**
   * The batch MIN ({@code direction} -1), MAX (1) or first value (0: any_value) of {@code type}:
   * every type but the sketches, which the registry refuses before an aggregate sees them.
   */
  private static Supplier<GroupedAccumulator> groupedExtreme(DataType type, int direction) {
    return switch (type.physical()) {
      case LONG -> () -> new GroupedAccumulators.ExtremeLong(type, direction);
      case DOUBLE -> () -> new GroupedAccumulators.ExtremeDouble(direction);
      case DECIMAL, LARGEINT -> () -> new GroupedAccumulators.ExtremeInt128(type, direction);
      case BYTES ->
          type.kind().isString()
              ? () -> new GroupedAccumulators.ExtremeBytes(type, direction)
              : null;
    };
  }

  private static AggregateFunction anyValue(List<DataType> types) {
    if (types.size() != 1) {
      return null;
    }
    return new Simple(
        "any_value",
        types.get(0),
        () ->
            new Accumulator() {
              private Object value;

              @Override
              public void add(List<ColumnVector> arguments, int row) {
                if (value == null) {
                  value = arguments.get(0).getObject(row);
                }
              }

              @Override
              public Object result() {
                return value;
              }
            },
        groupedExtreme(types.get(0), 0));
  }

  private static AggregateFunction groupConcat(List<DataType> types) {
    if (types.isEmpty() || types.size() > 2) {
      return null;
    }
    DataType type = types.get(0);
    DataType separatorType = types.size() == 2 ? types.get(1) : null;
    return new Simple(
        "group_concat",
        StringFunctions.TEXT,
        () ->
            new Accumulator() {
              private StringBuilder text;

              @Override
              public void add(List<ColumnVector> arguments, int row) {
                Object value = arguments.get(0).getObject(row);
                if (value == null) {
                  return;
                }
                if (text == null) {
                  text = new StringBuilder();
                } else {
                  Object separator = separatorType == null ? "," : arguments.get(1).getObject(row);
                  if (separator != null) {
                    text.append(Casts.toText(separator, separatorType));
                  }
                }
                text.append(Casts.toText(value, type));
              }

              @Override
              public Object result() {
                return text == null ? null : text.toString();
              }
            },
        () -> new GroupConcatGroupedAccumulator(type, separatorType));
  }

  private static AggregateFunction moments(
      String name, List<DataType> types, boolean root, boolean sample) {
    if (types.size() != 1 || !summable(types.get(0).kind())) {
      return null;
    }
    return new Simple(
        name,
        DataType.DOUBLE,
        () ->
            new Accumulator() {
              private long count;
              private double mean;
              private double squares;

              @Override
              public void add(List<ColumnVector> arguments, int row) {
                Double value = doubleAt(arguments.get(0), row);
                if (value == null) {
                  return;
                }
                count++;
                double delta = value - mean;
                mean += delta / count;
                squares += delta * (value - mean);
              }

              @Override
              public Object result() {
                long divisor = sample ? count - 1 : count;
                if (divisor <= 0) {
                  return null;
                }
                double variance = Math.max(0, squares / divisor);
                return root ? Math.sqrt(variance) : variance;
              }
            },
        () -> new GroupedAccumulators.Moments(root, sample));
  }

  private static AggregateFunction distinctCount(List<DataType> types) {
    if (types.isEmpty()) {
      return null;
    }
    return new Simple(
        "ndv",
        DataType.BIGINT,
        () ->
            new Accumulator() {
              private final Set<Object> seen = new HashSet<>();

              @Override
              public void add(List<ColumnVector> arguments, int row) {
                if (anyNull(arguments, row)) {
                  return;
                }
                seen.add(DistinctAggregate.key(arguments, row));
              }

              @Override
              public Object result() {
                return (long) seen.size();
              }
            },
        () -> new DistinctGroupedAccumulator(types, new GroupedAccumulators.Count()));
  }

  private static AggregateFunction bits(
      String name, List<DataType> types, GroupedAccumulators.BitFold.Operation operation) {
    if (types.size() != 1 || !summable(types.get(0).kind())) {
      return null;
    }
    return new Simple(
        name,
        DataType.BIGINT,
        () ->
            new Accumulator() {
              private Long value;

              @Override
              public void add(List<ColumnVector> arguments, int row) {
                ColumnVector argument = arguments.get(0);
                if (argument.isNull(row)) {
                  return;
                }
                Long next =
                    argument instanceof LongVector longs
                        ? longs.getLong(row)
                        : Casts.toLong(argument.getObject(row));
                if (next != null) {
                  value =
                      value == null
                          ? next
                          : switch (operation) {
                            case AND -> value & next;
                            case OR -> value | next;
                            case XOR -> value ^ next;
                          };
                }
              }

              @Override
              public Object result() {
                return value;
              }
            },
        () -> new GroupedAccumulators.BitFold(operation));
  }

  private static AggregateFunction bools(String name, List<DataType> types, boolean conjunction) {
    if (types.size() != 1) {
      return null;
    }
    DataType type = types.get(0);
    return new Simple(
        name,
        DataType.BOOLEAN,
        () ->
            new Accumulator() {
              private Boolean value;

              @Override
              public void add(List<ColumnVector> arguments, int row) {
                Object boxed = arguments.get(0).getObject(row);
                if (boxed == null) {
                  return;
                }
                Object converted = Casts.convert(boxed, type, DataType.BOOLEAN);
                if (converted instanceof Boolean next) {
                  value = value == null ? next : conjunction ? value && next : value || next;
                }
              }

              @Override
              public Object result() {
                return value;
              }
            },
        () -> new GroupedAccumulators.BoolFold(type, conjunction));
  }

  /** Wraps an aggregate so that each distinct argument tuple reaches it once. */
  static final class DistinctAggregate implements AggregateFunction {
    private final AggregateFunction inner;
    private final List<DataType> argumentTypes;

    DistinctAggregate(AggregateFunction inner, List<DataType> argumentTypes) {
      this.inner = inner;
      this.argumentTypes = List.copyOf(argumentTypes);
    }

    @Override
    public GroupedAccumulator newGroupedAccumulator() {
      return new DistinctGroupedAccumulator(argumentTypes, inner.newGroupedAccumulator());
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public DataType returnType() {
      return inner.returnType();
    }

    @Override
    public boolean distinct() {
      return true;
    }

    @Override
    public Accumulator newAccumulator() {
      Accumulator target = inner.newAccumulator();
      Set<Object> seen = new HashSet<>();
      return new Accumulator() {
        @Override
        public void add(List<ColumnVector> arguments, int row) {
          if (seen.add(key(arguments, row))) {
            target.add(arguments, row);
          }
        }

        @Override
        public Object result() {
          return target.result();
        }
      };
    }

    /** The hashable tuple of the arguments at {@code row}; decimals are compared by value. */
    static Object key(List<ColumnVector> arguments, int row) {
      if (arguments.size() == 1) {
        return normalize(arguments.get(0).getObject(row));
      }
      List<Object> key = new ArrayList<>(arguments.size());
      for (ColumnVector argument : arguments) {
        key.add(normalize(argument.getObject(row)));
      }
      return key;
    }

    private static Object normalize(Object value) {
      if (value instanceof BigDecimal decimal) {
        return decimal.signum() == 0 ? BigDecimal.ZERO : decimal.stripTrailingZeros();
      }
      if (value instanceof Double number && number == 0) {
        return 0.0;
      }
      return value;
    }
  }
}
