package dev.basalt.sql.planner;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.exec.expression.CaseExpression;
import dev.basalt.exec.expression.Expression;
import dev.basalt.exec.expression.FunctionCall;
import dev.basalt.exec.expression.InputReference;
import dev.basalt.exec.expression.Literal;
import dev.basalt.exec.expression.LogicalExpression;
import dev.basalt.exec.expression.NullTest;
import dev.basalt.exec.expression.TruthTest;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.sql.type.CalciteTypes;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlLikeOperator;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.TimestampString;

/**
 * Translates Calcite row expressions into Basalt {@link Expression}s over an input row type. Not
 * thread safe: one translator per plan being built.
 */
final class ExpressionTranslator {
  private static final Map<SqlKind, String> OPERATOR_FUNCTIONS =
      Map.ofEntries(
          Map.entry(SqlKind.PLUS, "add"),
          Map.entry(SqlKind.MINUS, "subtract"),
          Map.entry(SqlKind.TIMES, "multiply"),
          Map.entry(SqlKind.DIVIDE, "divide"),
          Map.entry(SqlKind.MOD, "mod"),
          Map.entry(SqlKind.MINUS_PREFIX, "negate"),
          Map.entry(SqlKind.EQUALS, "eq"),
          Map.entry(SqlKind.NOT_EQUALS, "ne"),
          Map.entry(SqlKind.LESS_THAN, "lt"),
          Map.entry(SqlKind.LESS_THAN_OR_EQUAL, "le"),
          Map.entry(SqlKind.GREATER_THAN, "gt"),
          Map.entry(SqlKind.GREATER_THAN_OR_EQUAL, "ge"),
          Map.entry(SqlKind.POSITION, "locate"));

  private static final Map<String, String> FUNCTION_ALIASES =
      Map.of(
          "current_timestamp", "now",
          "localtimestamp", "now",
          "localtime", "now",
          "current_date", "curdate",
          "current_time", "curtime",
          "character_length", "char_length",
          "||", "concat",
          "random", "rand");

  private final FunctionRegistry registry;
  private final RexBuilder rexBuilder;

  /**
   * Operands already translated, by identity: a {@code SEARCH} expands into one comparison per
   * point or range of the same operand node, which is translated once and shared, so that {@link
   * dev.basalt.exec.expression.SelectionFilter} evaluates it once for all of them.
   */
  private final Map<RexNode, Expression> shared = new IdentityHashMap<>();

  ExpressionTranslator(FunctionRegistry registry, RexBuilder rexBuilder) {
    this.registry = registry;
    this.rexBuilder = rexBuilder;
  }

  Expression translate(RexNode node, List<DataType> inputTypes) {
    Expression known = shared.get(node);
    if (known != null) {
      return known;
    }
    if (node instanceof RexInputRef reference) {
      return new InputReference(reference.getIndex(), inputTypes.get(reference.getIndex()));
    }
    if (node instanceof RexLiteral literal) {
      return literal(literal);
    }
    if (node instanceof RexCall call) {
      return call(call, inputTypes);
    }
    throw new BasaltException(ErrorCode.UNSUPPORTED, "expression " + node);
  }

  static Literal literal(RexLiteral literal) {
    DataType type = CalciteTypes.toBasalt(literal.getType());
    return new Literal(literalValue(literal, type), type);
  }

  static Object literalValue(RexLiteral literal, DataType type) {
    if (literal.isNull()) {
      return null;
    }
    return switch (type.kind()) {
      case BOOLEAN -> literal.getValueAs(Boolean.class);
      case TINYINT, SMALLINT, INT, BIGINT -> literal.getValueAs(BigDecimal.class).longValueExact();
      case FLOAT, DOUBLE -> literal.getValueAs(Double.class);
      case DECIMAL ->
          literal
              .getValueAs(BigDecimal.class)
              .setScale(type.scale(), java.math.RoundingMode.HALF_UP);
      case DATE -> LocalDate.parse(literal.getValueAs(DateString.class).toString());
      case DATETIME ->
          LocalDateTime.parse(
              literal.getValueAs(TimestampString.class).toString().replace(' ', 'T'));
      case CHAR, VARCHAR, STRING -> {
        Object value = literal.getValue();
        if (value instanceof NlsString nls) {
          yield nls.getValue();
        }
        if (value instanceof Enum<?> symbol) {
          yield symbol.name();
        }
        yield literal.getValueAs(String.class);
      }
      case NULL -> null;
      default -> throw new BasaltException(ErrorCode.UNSUPPORTED, "literal of type " + type);
    };
  }

  private Expression call(RexCall call, List<DataType> inputTypes) {
    SqlKind kind = call.getKind();
    DataType type = CalciteTypes.toBasalt(call.getType());
    switch (kind) {
      case AND, OR -> {
        return new LogicalExpression(
            kind == SqlKind.AND ? LogicalExpression.Kind.AND : LogicalExpression.Kind.OR,
            operands(call, inputTypes));
      }
      case NOT -> {
        return new LogicalExpression(LogicalExpression.Kind.NOT, operands(call, inputTypes));
      }
      case IS_NULL, IS_NOT_NULL -> {
        return new NullTest(
            translate(call.getOperands().get(0), inputTypes), kind == SqlKind.IS_NOT_NULL);
      }
      case IS_TRUE, IS_NOT_TRUE, IS_FALSE, IS_NOT_FALSE -> {
        boolean expected = kind == SqlKind.IS_TRUE || kind == SqlKind.IS_NOT_TRUE;
        boolean negated = kind == SqlKind.IS_NOT_TRUE || kind == SqlKind.IS_NOT_FALSE;
        return new TruthTest(translate(call.getOperands().get(0), inputTypes), expected, negated);
      }
      case SEARCH -> {
        RexNode operand = call.getOperands().get(0);
        if (operand instanceof RexInputRef || shared.containsKey(operand)) {
          return translate(RexUtil.expandSearch(rexBuilder, null, call), inputTypes);
        }
        shared.put(operand, translate(operand, inputTypes));
        try {
          return translate(RexUtil.expandSearch(rexBuilder, null, call), inputTypes);
        } finally {
          shared.remove(operand);
        }
      }
      case CAST, SAFE_CAST -> {
        Expression operand = translate(call.getOperands().get(0), inputTypes);
        return cast(operand, type);
      }
      case CASE -> {
        List<RexNode> operands = call.getOperands();
        List<Expression> conditions = new ArrayList<>();
        List<Expression> values = new ArrayList<>();
        for (int i = 0; i + 1 < operands.size(); i += 2) {
          conditions.add(translate(operands.get(i), inputTypes));
          values.add(cast(translate(operands.get(i + 1), inputTypes), type));
        }
        Expression otherwise =
            operands.size() % 2 == 1
                ? cast(translate(operands.get(operands.size() - 1), inputTypes), type)
                : null;
        return new CaseExpression(conditions, values, otherwise, type);
      }
      case IS_NOT_DISTINCT_FROM, IS_DISTINCT_FROM -> {
        Expression left = translate(call.getOperands().get(0), inputTypes);
        Expression right = translate(call.getOperands().get(1), inputTypes);
        Expression equal =
            new FunctionCall(
                registry.resolveScalar("eq", List.of(left.type(), right.type())),
                List.of(left, right));
        Expression same =
            new CaseExpression(
                List.of(new NullTest(left, false), new NullTest(right, false)),
                List.of(new NullTest(right, false), new Literal(false, DataType.BOOLEAN)),
                new TruthTest(equal, true, false),
                DataType.BOOLEAN);
        return kind == SqlKind.IS_NOT_DISTINCT_FROM
            ? same
            : new LogicalExpression(LogicalExpression.Kind.NOT, List.of(same));
      }
      case PLUS_PREFIX -> {
        return translate(call.getOperands().get(0), inputTypes);
      }
      case LIKE -> {
        Expression like = function("like", operands(call, inputTypes), DataType.BOOLEAN);
        boolean negated =
            call.getOperator() instanceof SqlLikeOperator likeOperator && likeOperator.isNegated();
        return negated ? new LogicalExpression(LogicalExpression.Kind.NOT, List.of(like)) : like;
      }
      case EXTRACT -> {
        RexLiteral unit = (RexLiteral) call.getOperands().get(0);
        String name = extractFunction(unit.getValueAs(TimeUnitRange.class));
        return function(name, List.of(translate(call.getOperands().get(1), inputTypes)), type);
      }
      default -> {}
    }
    String name = OPERATOR_FUNCTIONS.get(kind);
    if (name == null) {
      name = call.getOperator().getName().toLowerCase(Locale.ROOT);
      name = FUNCTION_ALIASES.getOrDefault(name, name);
    }
    return function(name, operands(call, inputTypes), type);
  }

  private static String extractFunction(TimeUnitRange unit) {
    return switch (unit) {
      case YEAR -> "year";
      case QUARTER -> "quarter";
      case MONTH -> "month";
      case WEEK -> "week";
      case DAY -> "day";
      case DOW -> "dayofweek";
      case DOY -> "dayofyear";
      case HOUR -> "hour";
      case MINUTE -> "minute";
      case SECOND -> "second";
      case MICROSECOND -> "microsecond";
      default -> throw new BasaltException(ErrorCode.UNSUPPORTED, "EXTRACT(" + unit + ")");
    };
  }

  private List<Expression> operands(RexCall call, List<DataType> inputTypes) {
    List<Expression> operands = new ArrayList<>();
    for (RexNode operand : call.getOperands()) {
      operands.add(translate(operand, inputTypes));
    }
    return operands;
  }

  /** Calls a registry function and casts its result to the type the plan expects. */
  Expression function(String name, List<Expression> arguments, DataType expected) {
    List<DataType> types = arguments.stream().map(Expression::type).toList();
    List<Object> constants = new ArrayList<>();
    for (Expression argument : arguments) {
      constants.add(
          argument instanceof Literal literal ? literal.value() : FunctionRegistry.NOT_CONSTANT);
    }
    Expression call = new FunctionCall(registry.resolveScalar(name, types, constants), arguments);
    return cast(call, expected);
  }

  Expression cast(Expression operand, DataType target) {
    if (!needsCast(operand.type(), target)) {
      return operand;
    }
    if (isLargeIntTarget(target) && hasFraction(operand.type())) {
      // LARGEINT is planned as DECIMAL(39, 0) (CalciteTypes), whose rescale rounds half up; a cast
      // to an integer truncates toward zero (2.7 -> 2, -2.7 -> -2, as BIGINT and Doris do), so
      // the value becomes a LARGEINT first and only then the DECIMAL(39, 0) the plan carries.
      Expression integer =
          new FunctionCall(
              registry.resolveCast(operand.type(), DataType.LARGEINT), List.of(operand));
      return new FunctionCall(registry.resolveCast(DataType.LARGEINT, target), List.of(integer));
    }
    return new FunctionCall(registry.resolveCast(operand.type(), target), List.of(operand));
  }

  /** Whether {@code type} is the DECIMAL(39, 0) that stands for LARGEINT inside plans. */
  private static boolean isLargeIntTarget(DataType type) {
    return type.kind() == TypeKind.DECIMAL
        && type.precision() == CalciteTypes.LARGEINT_PRECISION
        && type.scale() == 0;
  }

  /** Whether values of {@code type} may have a fraction that a cast to an integer drops. */
  private static boolean hasFraction(DataType type) {
    return switch (type.kind()) {
      case DECIMAL -> type.scale() > 0;
      case FLOAT, DOUBLE, CHAR, VARCHAR, STRING -> true;
      default -> false;
    };
  }

  static boolean needsCast(DataType actual, DataType expected) {
    if (expected.kind() == TypeKind.NULL || actual.equals(expected)) {
      return false;
    }
    if (actual.kind() == TypeKind.NULL) {
      return true;
    }
    if (actual.kind().isString() && expected.kind().isString()) {
      // Same physical layout; lengths are not enforced inside queries. But a CHAR compares with
      // trailing spaces ignored, so a CHAR cast to VARCHAR (a literal's MIN() compared with a
      // VARCHAR column) must become a VARCHAR to compare byte by byte.
      return actual.kind() == TypeKind.CHAR && expected.kind() != TypeKind.CHAR;
    }
    if (actual.kind() == TypeKind.DECIMAL && expected.kind() == TypeKind.DECIMAL) {
      return actual.scale() != expected.scale();
    }
    if (actual.kind() == TypeKind.DATETIME && expected.kind() == TypeKind.DATETIME) {
      return actual.scale() > expected.scale();
    }
    return actual.kind() != expected.kind();
  }
}
