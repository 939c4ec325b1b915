package dev.basalt.sql.planner;

import dev.basalt.common.type.DataType;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.sql.type.CalciteTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.validate.SqlNameMatcher;
import org.apache.calcite.util.Optionality;

/**
 * Makes Basalt's functions (the {@link FunctionRegistry}) visible to Calcite's validator: every
 * scalar or aggregate name the registry knows and Calcite's standard table does not becomes a
 * function whose result type the registry decides. One registry, so validation and execution cannot
 * disagree about types.
 */
final class BasaltOperatorTable implements SqlOperatorTable {
  private final FunctionRegistry registry;
  private final Map<String, SqlOperator> operators = new ConcurrentHashMap<>();

  BasaltOperatorTable(FunctionRegistry registry) {
    this.registry = registry;
  }

  /**
   * Functions that Calcite's standard table defines with SQL-standard operand rules that MySQL does
   * not have: {@code MONTH('2024-03-05')}, {@code YEAR(NULL)} and {@code TIMESTAMPDIFF(DAY,
   * '2024-01-01', '2024-03-01')} take strings and NULL literals in MySQL and Doris, and {@code
   * OCTET_LENGTH('text')} counts the bytes of a string. Basalt's registry implements them with
   * MySQL's conversions, so for these names the registry wins.
   *
   * <p>The math functions below differ from Calcite's definitions in their result: MySQL's {@code
   * SQRT(-1)}, {@code LN(0)}, {@code ACOS(2)} and {@code MOD(x, 0)} are NULL, so their result is
   * nullable even for NOT NULL arguments (Calcite's NOT NULL type would let {@code COUNT}, {@code
   * IS NULL} and the simplifier treat a NULL as a value); {@code ROUND(99.99)} is DECIMAL(3, 0)
   * (Calcite keeps DECIMAL(4, 2), where 100 does not fit) and {@code SIGN(1.50)} is an integer.
   * {@code ATAN(y, x)} is MySQL's two-argument form of ATAN2, which Calcite's one-argument ATAN
   * refuses.
   */
  static final java.util.Set<String> REGISTRY_FIRST =
      java.util.Set.of(
          "year",
          "quarter",
          "month",
          "week",
          "dayofmonth",
          "dayofweek",
          "dayofyear",
          "hour",
          "minute",
          "second",
          "last_day",
          "timestampdiff",
          "timestampadd",
          "octet_length",
          "sqrt",
          "ln",
          "log10",
          "acos",
          "asin",
          "power",
          "atan",
          "mod",
          "round",
          "truncate",
          "sign");

  /** Calcite's standard operators without the functions of {@link #REGISTRY_FIRST}. */
  static SqlOperatorTable standardOperators() {
    SqlOperatorTable standard = SqlStdOperatorTable.instance();
    return new SqlOperatorTable() {
      @Override
      public void lookupOperatorOverloads(
          SqlIdentifier name,
          SqlFunctionCategory category,
          SqlSyntax syntax,
          List<SqlOperator> result,
          SqlNameMatcher matcher) {
        if (name.isSimple()
            && (syntax == SqlSyntax.FUNCTION || syntax == SqlSyntax.FUNCTION_ID)
            && REGISTRY_FIRST.contains(name.getSimple().toLowerCase(Locale.ROOT))) {
          return;
        }
        standard.lookupOperatorOverloads(name, category, syntax, result, matcher);
      }

      @Override
      public List<SqlOperator> getOperatorList() {
        return standard.getOperatorList();
      }
    };
  }

  @Override
  public void lookupOperatorOverloads(
      SqlIdentifier name,
      SqlFunctionCategory category,
      SqlSyntax syntax,
      List<SqlOperator> result,
      SqlNameMatcher matcher) {
    if (!name.isSimple() || (syntax != SqlSyntax.FUNCTION && syntax != SqlSyntax.FUNCTION_ID)) {
      return;
    }
    String functionName = name.getSimple().toLowerCase(Locale.ROOT);
    if (!REGISTRY_FIRST.contains(functionName)
        && definedByCalcite(name, category, syntax, matcher)) {
      return;
    }
    SqlOperator operator = operator(functionName);
    if (operator != null) {
      result.add(operator);
    }
  }

  private static boolean definedByCalcite(
      SqlIdentifier name, SqlFunctionCategory category, SqlSyntax syntax, SqlNameMatcher matcher) {
    List<SqlOperator> standard = new ArrayList<>();
    SqlStdOperatorTable.instance()
        .lookupOperatorOverloads(name, category, syntax, standard, matcher);
    return !standard.isEmpty();
  }

  private SqlOperator operator(String name) {
    SqlOperator cached = operators.get(name);
    if (cached != null) {
      return cached;
    }
    SqlOperator created = null;
    if (registry.isAggregate(name)) {
      created = new RegistryAggregateFunction(name, returnType(name, true));
    } else if (registry.isScalar(name)) {
      created =
          new SqlFunction(
              name.toUpperCase(Locale.ROOT),
              SqlKind.OTHER_FUNCTION,
              returnType(name, false),
              null,
              OperandTypes.VARIADIC,
              SqlFunctionCategory.USER_DEFINED_FUNCTION) {
            @Override
            public boolean isDeterministic() {
              return !NON_DETERMINISTIC.contains(getName().toLowerCase(Locale.ROOT));
            }

            @Override
            public boolean isDynamicFunction() {
              return NON_DETERMINISTIC.contains(getName().toLowerCase(Locale.ROOT));
            }
          };
    }
    if (created != null) {
      operators.put(name, created);
    }
    return created;
  }

  private static final java.util.Set<String> NON_DETERMINISTIC =
      java.util.Set.of(
          "now",
          "sysdate",
          "curdate",
          "curtime",
          "rand",
          "random",
          "uuid",
          "unix_timestamp",
          "current_timestamp",
          "localtime",
          "localtimestamp");

  private SqlReturnTypeInference returnType(String name, boolean aggregate) {
    return (SqlOperatorBinding binding) -> {
      RelDataTypeFactory factory = binding.getTypeFactory();
      List<DataType> argumentTypes = new ArrayList<>();
      List<Object> constants = new ArrayList<>();
      for (int i = 0; i < binding.getOperandCount(); i++) {
        DataType type = CalciteTypes.toBasalt(binding.getOperandType(i));
        argumentTypes.add(type);
        // Aggregates take no constants into account; the binding of an aggregate call built
        // after validation (an AggregateCall) cannot tell literals apart.
        constants.add(
            aggregate ? FunctionRegistry.NOT_CONSTANT : constantOperand(binding, i, type));
      }
      DataType result =
          aggregate
              ? registry.resolveAggregate(name, argumentTypes, false).returnType()
              : registry.resolveScalar(name, argumentTypes, constants).returnType();
      RelDataType type = CalciteTypes.toCalcite(factory, result, true);
      return type;
    };
  }

  /**
   * A literal operand's value (strings and integers only, enough for formats and units), else
   * NOT_CONSTANT.
   */
  private static Object constantOperand(SqlOperatorBinding binding, int index, DataType type) {
    if (!binding.isOperandLiteral(index, false)) {
      return FunctionRegistry.NOT_CONSTANT;
    }
    if (binding.isOperandNull(index, false)) {
      return null;
    }
    if (type.kind().isString()) {
      return binding.getOperandLiteralValue(index, String.class);
    }
    if (type.kind().isInteger() && type.kind() != dev.basalt.common.type.TypeKind.LARGEINT) {
      java.math.BigDecimal value =
          binding.getOperandLiteralValue(index, java.math.BigDecimal.class);
      return value == null ? FunctionRegistry.NOT_CONSTANT : value.longValue();
    }
    return FunctionRegistry.NOT_CONSTANT;
  }

  @Override
  public List<SqlOperator> getOperatorList() {
    List<SqlOperator> all = new ArrayList<>();
    for (String name : registry.scalarNames()) {
      SqlOperator operator = operator(name);
      if (operator != null) {
        all.add(operator);
      }
    }
    return all;
  }

  /** An aggregate known only to Basalt (e.g. {@code group_concat}, {@code ndv}). */
  static final class RegistryAggregateFunction extends SqlAggFunction {
    RegistryAggregateFunction(String name, SqlReturnTypeInference returnType) {
      super(
          name.toUpperCase(Locale.ROOT),
          null,
          SqlKind.OTHER_FUNCTION,
          returnType,
          null,
          OperandTypes.VARIADIC,
          SqlFunctionCategory.USER_DEFINED_FUNCTION,
          false,
          false,
          Optionality.FORBIDDEN);
    }
  }
}
