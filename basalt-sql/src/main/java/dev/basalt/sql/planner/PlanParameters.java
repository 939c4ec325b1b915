package dev.basalt.sql.planner;

import dev.basalt.common.type.ValueText;
import dev.basalt.sql.schema.TableDescriptor;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.TimestampString;

/**
 * The {@code ?} placeholders of a query planned once with dynamic parameters (a server-side
 * prepared statement), and the binding of each execution's values into that plan, so that an
 * execution needs no parsing, validation or optimization.
 *
 * <p>Only plans whose placeholders stand alone on one side of a comparison ({@code col = ?}, {@code
 * ? < expr} ...) are reusable ({@link #of} returns null otherwise): there the comparison's result
 * type does not depend on the placeholder's, so a literal can replace it without re-typing the
 * plan. A value binds only if it is exactly representable in the type Calcite inferred for its
 * placeholder (an integer in range, a decimal within precision and scale, a number for a
 * floating-point placeholder, text for a character one, text in the canonical {@code yyyy-MM-dd[
 * HH:mm:ss[.ffffff]]} form for a DATE or DATETIME one); otherwise {@link #bind} returns null and
 * the caller plans the statement with the value as a literal, as before. Either way the answer is
 * the one the literal text would give.
 *
 * <p>Immutable and thread safe: binding copies the plan's nodes that hold a placeholder and shares
 * the rest, so many executions can bind the same cached plan at once.
 */
public final class PlanParameters {
  private final PlannedQuery plan;
  private final List<RelDataType> types;
  private final List<TableRead> tableReads;
  private final List<TableDescriptor> tablesRead;

  private PlanParameters(PlannedQuery plan, List<RelDataType> types) {
    this.plan = plan;
    this.types = List.copyOf(types);
    this.tableReads = List.copyOf(plan.tableReads());
    this.tablesRead = tableReads.stream().map(TableRead::table).toList();
  }

  /**
   * The placeholders of {@code plan}, or null when one of them is used where a literal could change
   * the plan's types (a projection, a function argument, LIMIT), so the plan cannot be reused.
   */
  public static PlanParameters of(PlannedQuery plan) {
    List<RelDataType> types = new ArrayList<>();
    boolean[] reusable = {true};
    RexShuttle checker =
        new RexShuttle() {
          @Override
          public RexNode visitCall(RexCall call) {
            boolean comparison = call.isA(SqlKind.BINARY_COMPARISON);
            int parameters = 0;
            for (RexNode operand : call.getOperands()) {
              if (operand instanceof RexDynamicParam parameter && comparison) {
                record(parameter);
                parameters++;
              } else {
                operand.accept(this);
              }
            }
            if (parameters > 1) {
              reusable[0] = false;
            }
            return call;
          }

          @Override
          public RexNode visitDynamicParam(RexDynamicParam parameter) {
            reusable[0] = false;
            return parameter;
          }

          private void record(RexDynamicParam parameter) {
            while (types.size() <= parameter.getIndex()) {
              types.add(null);
            }
            types.set(parameter.getIndex(), parameter.getType());
            if (!bindable(parameter.getType())) {
              reusable[0] = false;
            }
          }
        };
    plan.plan().accept(rexShuttle(checker));
    if (!reusable[0] || types.contains(null)) {
      return null;
    }
    return new PlanParameters(plan, types);
  }

  /** The plan with its placeholders, as planned once. */
  public PlannedQuery plan() {
    return plan;
  }

  public int count() {
    return types.size();
  }

  /**
   * {@link PlannedQuery#tablesRead()} of the plan, found once: every bound plan reads the same
   * tables (finding them walks the plan with Calcite's metadata, which a shared plan must not do
   * from several threads at once).
   */
  public List<TableDescriptor> tablesRead() {
    return tablesRead;
  }

  /** {@link PlannedQuery#tableReads()} of the plan, found once (see {@link #tablesRead()}). */
  public List<TableRead> tableReads() {
    return tableReads;
  }

  /**
   * The plan with {@code values} (one per placeholder, in order) as literals, or null when a value
   * does not fit its placeholder's type exactly (the caller then plans the literal text).
   *
   * @param values {@link Long}, {@link BigInteger}, {@link BigDecimal}, {@link Double}, {@link
   *     Float} or {@link String}; null (SQL NULL or a value of another kind) never binds
   */
  public PlannedQuery bind(List<Object> values) {
    if (values.size() != types.size()) {
      return null;
    }
    RexBuilder rexBuilder = plan.plan().getCluster().getRexBuilder();
    List<RexNode> literals = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      RexNode literal = literal(rexBuilder, types.get(i), values.get(i));
      if (literal == null) {
        return null;
      }
      literals.add(literal);
    }
    RexShuttle binder =
        new RexShuttle() {
          @Override
          public RexNode visitDynamicParam(RexDynamicParam parameter) {
            return literals.get(parameter.getIndex());
          }
        };
    return new PlannedQuery(plan.plan().accept(rexShuttle(binder)), plan.columns());
  }

  /** Applies {@code shuttle} to the expressions of every node of a plan. */
  private static RelHomogeneousShuttle rexShuttle(RexShuttle shuttle) {
    return new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        return super.visit(other).accept(shuttle);
      }
    };
  }

  private static boolean bindable(RelDataType type) {
    SqlTypeName name = type.getSqlTypeName();
    return SqlTypeName.INT_TYPES.contains(name)
        || name == SqlTypeName.DECIMAL
        || name == SqlTypeName.DOUBLE
        || name == SqlTypeName.FLOAT
        || name == SqlTypeName.REAL
        || name == SqlTypeName.DATE
        || name == SqlTypeName.TIMESTAMP
        || name == SqlTypeName.BOOLEAN
        || type.getFamily() == SqlTypeFamily.CHARACTER;
  }

  /** {@code value} as a literal of exactly {@code type}, or null when it does not fit. */
  private static RexNode literal(RexBuilder rexBuilder, RelDataType type, Object value) {
    SqlTypeName name = type.getSqlTypeName();
    if (type.getFamily() == SqlTypeFamily.CHARACTER) {
      // A VARCHAR literal of the text's own length: the comparison with the column compares
      // values, whatever the declared lengths, and byte by byte (trailing spaces count) unless
      // the column is a CHAR. A CHAR literal (makeLiteral(String)'s type) would make a VARCHAR
      // column compare with trailing spaces ignored, unlike the statement's text.
      if (!(value instanceof String text)) {
        return null;
      }
      RelDataType charLiteral = rexBuilder.makeLiteral(text).getType();
      RelDataTypeFactory types = rexBuilder.getTypeFactory();
      RelDataType varchar =
          types.createTypeWithCharsetAndCollation(
              types.createSqlType(SqlTypeName.VARCHAR, Math.max(1, text.length())),
              charLiteral.getCharset(),
              charLiteral.getCollation());
      // Calcite makes every character literal a CHAR; allowing the cast keeps the VARCHAR type.
      return rexBuilder.makeLiteral(text, varchar, true);
    }
    if (name == SqlTypeName.DATE || name == SqlTypeName.TIMESTAMP) {
      // Only text in the canonical form, which means one date-time whatever the context; other
      // forms (and numbers) are left to the planner's conversion rules.
      if (!(value instanceof String text)) {
        return null;
      }
      if (name == SqlTypeName.DATE) {
        LocalDate date = ValueText.parseCanonicalDate(text);
        return date == null ? null : rexBuilder.makeDateLiteral(new DateString(text));
      }
      LocalDateTime datetime = ValueText.parseCanonicalDatetime(text, type.getPrecision());
      return datetime == null
          ? null
          : rexBuilder.makeTimestampLiteral(new TimestampString(text), type.getPrecision());
    }
    if (name == SqlTypeName.BOOLEAN) {
      // 0 and 1 are FALSE and TRUE; any other value is left to the planner's conversion.
      return value instanceof Long number && (number == 0 || number == 1)
          ? rexBuilder.makeLiteral(number == 1)
          : null;
    }
    BigDecimal number = exactNumber(value);
    if (name == SqlTypeName.DOUBLE || name == SqlTypeName.FLOAT || name == SqlTypeName.REAL) {
      if (number == null) {
        return null;
      }
      return rexBuilder.makeApproxLiteral(number, type);
    }
    if (number == null || (value instanceof Double || value instanceof Float)) {
      // A floating-point value against an exact type compares as a double in MySQL; leave that
      // to the planner.
      return null;
    }
    if (SqlTypeName.INT_TYPES.contains(name)) {
      if (number.scale() > 0 && number.stripTrailingZeros().scale() > 0) {
        return null;
      }
      BigInteger integer = number.toBigInteger();
      if (integer.bitLength() >= bits(name)) {
        return null;
      }
      return rexBuilder.makeExactLiteral(new BigDecimal(integer), type);
    }
    if (name == SqlTypeName.DECIMAL) {
      BigDecimal stripped = number.stripTrailingZeros();
      int scale = Math.max(stripped.scale(), 0);
      int integerDigits = stripped.precision() - stripped.scale();
      if (scale > type.getScale() || integerDigits > type.getPrecision() - type.getScale()) {
        return null;
      }
      return rexBuilder.makeExactLiteral(number.setScale(type.getScale()), type);
    }
    return null;
  }

  private static int bits(SqlTypeName name) {
    return switch (name) {
      case TINYINT -> 8;
      case SMALLINT -> 16;
      case INTEGER -> 32;
      default -> 64;
    };
  }

  private static BigDecimal exactNumber(Object value) {
    return switch (value) {
      case Long number -> BigDecimal.valueOf(number);
      case BigInteger number -> new BigDecimal(number);
      case BigDecimal number -> number;
      case Double number when Double.isFinite(number) -> new BigDecimal(number.toString());
      case Float number when Float.isFinite(number) -> new BigDecimal(number.toString());
      case null, default -> null;
    };
  }
}
