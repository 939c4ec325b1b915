package dev.basalt.exec.function;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The catalogue of built-in functions with MySQL / Doris semantics: scalar functions (including the
 * operators the planner maps to names such as {@code add}, {@code eq}, {@code like}), aggregates
 * and casts (one {@link CastResolver}).
 *
 * <p>Call order for the planner: during validation ask {@link #resolveScalar} / {@link
 * #resolveAggregate} for the bound function and read its {@code returnType()}; at execution call
 * the same bound function's {@code evaluate} (or {@code newAccumulator}). Names are
 * case-insensitive. An unknown name throws {@link ErrorCode#UNKNOWN_FUNCTION}; a known name whose
 * argument types or count do not fit throws {@link ErrorCode#WRONG_ARGUMENTS}.
 *
 * <p>Some return types depend on the value of a constant argument (the unit of {@code date_add(d,
 * n, 'HOUR')}, the format of {@code str_to_date}); {@link #resolveScalar(String, List, List)}
 * accepts those values. Without them the static rule documented on the function applies.
 *
 * <p>Instances are immutable and thread safe; {@link #builtins()} is shared by the whole process.
 */
public final class FunctionRegistry {

  /**
   * Marks an argument whose value is not known when resolving; see {@link #resolveScalar(String,
   * List, List)}.
   */
  public static final Object NOT_CONSTANT =
      new Object() {
        @Override
        public String toString() {
          return "NOT_CONSTANT";
        }
      };

  private static final FunctionRegistry BUILTINS = createBuiltins();

  private final Map<String, ScalarFunctionResolver> scalars;
  private final Map<String, AggregateFunctionResolver> aggregates;

  /**
   * The names that take BITMAP, HLL and QUANTILE_STATE arguments: the sketch functions themselves
   * and the few generic ones Doris allows on them (ifnull, coalesce ...). Any other function given
   * a sketch is refused, as sketches have no order, text or number to offer it.
   */
  private final Set<String> sketchFunctions;

  private final CastResolver casts;

  private FunctionRegistry(Builder builder) {
    this.scalars = Map.copyOf(builder.scalars);
    this.aggregates = Map.copyOf(builder.aggregates);
    this.sketchFunctions = Set.copyOf(builder.sketchFunctions);
    this.casts = builder.casts;
  }

  private void refuseSketches(String key, List<DataType> argumentTypes) {
    if (!sketchFunctions.contains(key)
        && argumentTypes.stream().anyMatch(type -> type.kind().isSketch())) {
      throw new BasaltException(ErrorCode.WRONG_ARGUMENTS, key, describe(argumentTypes));
    }
  }

  /** The shared registry of every built-in function. */
  public static FunctionRegistry builtins() {
    return BUILTINS;
  }

  /** A builder for a registry of one's own (tests, extensions); starts empty. */
  public static Builder builder() {
    return new Builder();
  }

  /** Every {@link FunctionFamily} on the class path, registered into one registry. */
  private static FunctionRegistry createBuiltins() {
    Builder builder = new Builder();
    for (FunctionFamily family :
        ServiceLoader.load(FunctionFamily.class, FunctionRegistry.class.getClassLoader())) {
      family.register(builder);
    }
    if (builder.scalars.isEmpty()) {
      throw new IllegalStateException(
          "no FunctionFamily on the class path (META-INF/services/"
              + FunctionFamily.class.getName()
              + ")");
    }
    return builder.build();
  }

  /**
   * Binds a scalar function or operator name to argument types; no argument is taken as constant.
   */
  public ScalarFunction resolveScalar(String name, List<DataType> argumentTypes) {
    return resolveScalar(
        name, argumentTypes, Collections.nCopies(argumentTypes.size(), NOT_CONSTANT));
  }

  /**
   * Binds a scalar function, knowing the values of constant arguments.
   *
   * @param constantArguments one entry per argument: the literal's value in the representation of
   *     {@link dev.basalt.common.vector.Values} ({@code null} for a NULL literal), or {@link
   *     #NOT_CONSTANT}
   */
  public ScalarFunction resolveScalar(
      String name, List<DataType> argumentTypes, List<Object> constantArguments) {
    String key = normalize(name);
    ScalarFunctionResolver resolver = scalars.get(key);
    if (resolver == null) {
      throw new BasaltException(ErrorCode.UNKNOWN_FUNCTION, name);
    }
    if (constantArguments.size() != argumentTypes.size()) {
      throw new IllegalArgumentException("one constant entry per argument is required");
    }
    refuseSketches(key, argumentTypes);
    ScalarFunction function;
    try {
      function =
          resolver instanceof ConstantAwareResolver aware
              ? aware.resolve(argumentTypes, constantArguments)
              : resolver.resolve(argumentTypes);
    } catch (IllegalArgumentException badArguments) {
      throw new BasaltException(ErrorCode.WRONG_ARGUMENTS, key, badArguments.getMessage());
    }
    if (function == null) {
      throw new BasaltException(ErrorCode.WRONG_ARGUMENTS, key, describe(argumentTypes));
    }
    return function;
  }

  /** Binds an aggregate; {@code distinct} is true for {@code f(DISTINCT ...)}. */
  public AggregateFunction resolveAggregate(
      String name, List<DataType> argumentTypes, boolean distinct) {
    String key = normalize(name);
    AggregateFunctionResolver resolver = aggregates.get(key);
    if (resolver == null) {
      throw new BasaltException(ErrorCode.UNKNOWN_FUNCTION, name);
    }
    refuseSketches(key, argumentTypes);
    AggregateFunction function;
    try {
      function = resolver.resolve(argumentTypes, distinct);
    } catch (IllegalArgumentException badArguments) {
      throw new BasaltException(ErrorCode.WRONG_ARGUMENTS, key, badArguments.getMessage());
    }
    if (function == null) {
      throw new BasaltException(ErrorCode.WRONG_ARGUMENTS, key, describe(argumentTypes));
    }
    return function;
  }

  /**
   * The conversion {@code CAST(x AS to)} for a value of type {@code from}, as the registered {@link
   * CastResolver} binds it (the built-in rules are {@code exec.function.cast.Casts}). Throws {@link
   * ErrorCode#INVALID_CAST} for pairs that make no sense.
   */
  public ScalarFunction resolveCast(DataType from, DataType to) {
    if (casts == null) {
      throw new IllegalStateException("no CastResolver registered in this FunctionRegistry");
    }
    return casts.resolve(from, to);
  }

  public boolean isScalar(String name) {
    return scalars.containsKey(normalize(name));
  }

  public boolean isAggregate(String name) {
    return aggregates.containsKey(normalize(name));
  }

  /** Every scalar name in lower case, sorted. */
  public Set<String> scalarNames() {
    return Collections.unmodifiableSet(new TreeSet<>(scalars.keySet()));
  }

  /** Every aggregate name in lower case, sorted. */
  public Set<String> aggregateNames() {
    return Collections.unmodifiableSet(new TreeSet<>(aggregates.keySet()));
  }

  /**
   * The Doris function that adds (or subtracts) an interval of {@code unit}, e.g. {@code ("HOUR",
   * false)} gives {@code hours_add}. Lets the planner turn {@code d + INTERVAL n HOUR} into a call
   * whose return type is fixed by its name. Throws {@link ErrorCode#WRONG_ARGUMENTS} for an unknown
   * unit.
   */
  public static String intervalFunctionName(String unit, boolean subtract) {
    String plural =
        switch (unit.trim().toUpperCase(Locale.ROOT)) {
          case "YEAR" -> "years";
          case "QUARTER" -> "quarters";
          case "MONTH" -> "months";
          case "WEEK" -> "weeks";
          case "DAY" -> "days";
          case "HOUR" -> "hours";
          case "MINUTE" -> "minutes";
          case "SECOND" -> "seconds";
          case "MICROSECOND" -> "microseconds";
          default ->
              throw new BasaltException(
                  ErrorCode.WRONG_ARGUMENTS, "date_add", "unknown unit " + unit);
        };
    return plural + (subtract ? "_sub" : "_add");
  }

  private static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  private static String describe(List<DataType> argumentTypes) {
    return argumentTypes.isEmpty()
        ? "no arguments"
        : argumentTypes.stream().map(DataType::sqlName).collect(Collectors.joining(", ", "(", ")"));
  }

  /**
   * Collects resolvers by name. Not thread safe; {@link #build()} copies the state, so the built
   * registry does not see later registrations.
   */
  public static final class Builder {
    private final Map<String, ScalarFunctionResolver> scalars = new LinkedHashMap<>();
    private final Map<String, AggregateFunctionResolver> aggregates = new LinkedHashMap<>();
    private final Set<String> sketchFunctions = new java.util.HashSet<>();
    private CastResolver casts;

    private Builder() {}

    /**
     * Lets the functions {@code names} (registered by any family) take BITMAP, HLL and
     * QUANTILE_STATE arguments; every other function refuses them.
     */
    public Builder acceptSketches(String... names) {
      for (String name : names) {
        sketchFunctions.add(normalize(name));
      }
      return this;
    }

    /** Registers {@code resolver} under each of {@code names}; a name may be registered once. */
    public Builder scalar(ScalarFunctionResolver resolver, String... names) {
      for (String name : names) {
        if (scalars.putIfAbsent(normalize(name), resolver) != null) {
          throw new IllegalStateException("scalar function registered twice: " + name);
        }
      }
      return this;
    }

    /** Registers the one {@link CastResolver}; a registry has at most one. */
    public Builder casts(CastResolver resolver) {
      if (casts != null) {
        throw new IllegalStateException("casts registered twice");
      }
      casts = resolver;
      return this;
    }

    public Builder aggregate(AggregateFunctionResolver resolver, String... names) {
      for (String name : names) {
        if (aggregates.putIfAbsent(normalize(name), resolver) != null) {
          throw new IllegalStateException("aggregate registered twice: " + name);
        }
      }
      return this;
    }

    public FunctionRegistry build() {
      return new FunctionRegistry(this);
    }
  }
}
