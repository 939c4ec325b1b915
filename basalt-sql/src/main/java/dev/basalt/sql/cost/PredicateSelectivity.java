package dev.basalt.sql.cost;

import com.google.common.collect.Range;
import dev.basalt.meta.statistics.ColumnStatistics;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.metadata.RelMdUtil;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.Sarg;
import org.apache.calcite.util.TimestampString;

/**
 * Estimates the fraction of a table's rows a predicate over its columns keeps, from the columns'
 * NDV, NULL count, min and max (docs/statistics.md):
 *
 * <ul>
 *   <li>{@code c = v}: (1 − null fraction) / NDV; {@code c <> v}: 1 − 1 / NDV; {@code c IN (n
 *       values)}: n / NDV; {@code c1 = c2}: 1 / max(NDV);
 *   <li>ranges ({@code <, <=, >, >=, BETWEEN}): the conjuncts on one column are intersected into
 *       one interval whose share of [min, max] is the selectivity (numbers, dates, datetimes);
 *   <li>{@code IS NULL}: the null fraction; {@code IS NOT NULL}: its complement;
 *   <li>{@code LIKE}: 0.1; {@code AND}: product; {@code OR}: s1 + s2 − s1·s2; {@code NOT}: 1 − s;
 *   <li>anything else, or a column without statistics: Calcite's guess ({@link
 *       RelMdUtil#guessSelectivity}).
 * </ul>
 *
 * <p>Stateless and thread safe.
 */
public final class PredicateSelectivity {
  static final double LIKE_SELECTIVITY = 0.1;
  private static final double MILLIS_PER_DAY = 86_400_000.0;
  private static final double DAYS_PER_MONTH = 365.2425 / 12;

  private PredicateSelectivity() {}

  /**
   * The estimated fraction, in [0, 1], of rows for which {@code predicate} holds.
   *
   * @param predicate over the table's columns ({@code $i} is column position i), or {@code null}
   * @param columns the statistics of column position i, or {@code null} when unknown
   */
  public static double estimate(RexNode predicate, IntFunction<ColumnStatistics> columns) {
    if (predicate == null || predicate.isAlwaysTrue()) {
      return 1.0;
    }
    Map<Integer, Interval> ranges = new HashMap<>();
    double selectivity = 1.0;
    for (RexNode conjunct : RelOptUtil.conjunctions(predicate)) {
      if (!addRange(conjunct, columns, ranges)) {
        selectivity *= single(conjunct, columns);
      }
    }
    for (Interval interval : ranges.values()) {
      selectivity *= interval.selectivity();
    }
    return clamp(selectivity);
  }

  private static double single(RexNode node, IntFunction<ColumnStatistics> columns) {
    if (!(node instanceof RexCall call)) {
      return RelMdUtil.guessSelectivity(node);
    }
    List<RexNode> operands = call.getOperands();
    return switch (call.getKind()) {
      case AND -> estimate(call, columns);
      case OR -> {
        double none = 1.0;
        for (RexNode operand : operands) {
          none *= 1.0 - estimate(operand, columns);
        }
        yield 1.0 - none;
      }
      case NOT -> 1.0 - estimate(operands.get(0), columns);
      case EQUALS, NOT_EQUALS -> {
        double equal = equality(operands.get(0), operands.get(1), columns);
        if (Double.isNaN(equal)) {
          yield RelMdUtil.guessSelectivity(node);
        }
        yield call.getKind() == SqlKind.EQUALS ? equal : 1.0 - equal;
      }
      case IS_NULL, IS_NOT_NULL -> {
        ColumnStatistics stats = statistics(operands.get(0), columns);
        if (stats == null) {
          yield RelMdUtil.guessSelectivity(node);
        }
        yield call.getKind() == SqlKind.IS_NULL ? stats.nullFraction() : 1 - stats.nullFraction();
      }
      case LIKE -> LIKE_SELECTIVITY;
      case SEARCH -> search(call, columns);
      case LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
        Map<Integer, Interval> ranges = new HashMap<>();
        yield addRange(call, columns, ranges)
            ? ranges.values().iterator().next().selectivity()
            : RelMdUtil.guessSelectivity(node);
      }
      default -> RelMdUtil.guessSelectivity(node);
    };
  }

  /** The selectivity of {@code left = right}, or NaN when there is nothing to base it on. */
  private static double equality(
      RexNode left, RexNode right, IntFunction<ColumnStatistics> columns) {
    ColumnStatistics leftStats = statistics(left, columns);
    ColumnStatistics rightStats = statistics(right, columns);
    if (leftStats != null && rightStats != null) {
      return 1.0 / Math.max(1, Math.max(leftStats.ndv(), rightStats.ndv()));
    }
    ColumnStatistics stats = leftStats != null ? leftStats : rightStats;
    RexNode other = leftStats != null ? right : left;
    if (stats == null || !isConstant(other)) {
      return Double.NaN;
    }
    return (1.0 - stats.nullFraction()) / Math.max(1, stats.ndv());
  }

  /** {@code c SEARCH sarg}: the points over NDV plus the ranges' share of [min, max]. */
  private static double search(RexCall call, IntFunction<ColumnStatistics> columns) {
    ColumnStatistics stats = statistics(call.getOperands().get(0), columns);
    if (stats == null || !(call.getOperands().get(1) instanceof RexLiteral literal)) {
      return RelMdUtil.guessSelectivity(call);
    }
    Sarg<?> sarg = literal.getValueAs(Sarg.class);
    if (sarg == null) {
      return RelMdUtil.guessSelectivity(call);
    }
    double nonNull = 1.0 - stats.nullFraction();
    double selectivity = 0;
    for (Range<?> range : sarg.rangeSet.asRanges()) {
      boolean point =
          range.hasLowerBound()
              && range.hasUpperBound()
              && range.lowerEndpoint().equals(range.upperEndpoint());
      if (point) {
        selectivity += nonNull / Math.max(1, stats.ndv());
        continue;
      }
      Interval interval = new Interval(stats);
      if (range.hasLowerBound()) {
        interval.atLeast(number(range.lowerEndpoint()));
      }
      if (range.hasUpperBound()) {
        interval.atMost(number(range.upperEndpoint()));
      }
      selectivity += interval.selectivity();
    }
    if (sarg.nullAs == org.apache.calcite.rex.RexUnknownAs.TRUE) {
      selectivity += stats.nullFraction();
    }
    return clamp(selectivity);
  }

  /**
   * Adds {@code column op constant} (either way round) to the column's interval and returns true;
   * false when the conjunct is not such a comparison on a column with numeric statistics.
   */
  private static boolean addRange(
      RexNode node, IntFunction<ColumnStatistics> columns, Map<Integer, Interval> ranges) {
    if (!(node instanceof RexCall call)
        || !call.isA(SqlKind.COMPARISON)
        || call.getKind() == SqlKind.EQUALS
        || call.getKind() == SqlKind.NOT_EQUALS
        || call.getOperands().size() != 2) {
      return false;
    }
    SqlKind kind = call.getKind();
    RexNode columnSide = call.getOperands().get(0);
    RexNode valueSide = call.getOperands().get(1);
    if (column(columnSide) < 0) {
      columnSide = call.getOperands().get(1);
      valueSide = call.getOperands().get(0);
      kind = kind.reverse();
    }
    int column = column(columnSide);
    ColumnStatistics stats = column < 0 ? null : columns.apply(column);
    Double value = number(valueSide);
    if (stats == null || stats.low() == null || value == null) {
      return false;
    }
    Interval interval = ranges.computeIfAbsent(column, c -> new Interval(stats));
    switch (kind) {
      case LESS_THAN, LESS_THAN_OR_EQUAL -> interval.atMost(value);
      case GREATER_THAN, GREATER_THAN_OR_EQUAL -> interval.atLeast(value);
      default -> {
        return false;
      }
    }
    return true;
  }

  /** The column position {@code node} reads (through CASTs), or -1. */
  private static int column(RexNode node) {
    RexNode current = node;
    while (current instanceof RexCall call && call.getKind() == SqlKind.CAST) {
      current = call.getOperands().get(0);
    }
    return current instanceof RexInputRef ref ? ref.getIndex() : -1;
  }

  private static ColumnStatistics statistics(RexNode node, IntFunction<ColumnStatistics> columns) {
    int column = column(node);
    return column < 0 ? null : columns.apply(column);
  }

  private static boolean isConstant(RexNode node) {
    RexNode current = node;
    while (current instanceof RexCall call && call.getKind() == SqlKind.CAST) {
      current = call.getOperands().get(0);
    }
    return current instanceof RexLiteral || number(node) != null;
  }

  /**
   * A constant on the number line of {@link ColumnStatistics#low}: numbers as themselves, DATE as
   * days since the epoch, TIMESTAMP as microseconds; a date or timestamp plus or minus an interval
   * literal is folded. {@code null} for anything else.
   */
  static Double number(RexNode node) {
    if (node instanceof RexCall call) {
      SqlKind kind = call.getKind();
      if (kind == SqlKind.CAST) {
        return number(call.getOperands().get(0));
      }
      if ((kind == SqlKind.PLUS || kind == SqlKind.MINUS) && call.getOperands().size() == 2) {
        RexNode base = call.getOperands().get(0);
        RexNode offset = call.getOperands().get(1);
        Double start = number(base);
        Double shift = intervalIn(offset, base.getType().getSqlTypeName());
        if (start != null && shift != null) {
          return kind == SqlKind.PLUS ? start + shift : start - shift;
        }
      }
      return dateArithmetic(call);
    }
    if (!(node instanceof RexLiteral literal) || literal.isNull()) {
      return null;
    }
    return switch (literal.getTypeName()) {
      case DATE -> (double) literal.getValueAs(DateString.class).getDaysSinceEpoch();
      case TIMESTAMP -> literal.getValueAs(TimestampString.class).getMillisSinceEpoch() * 1000.0;
      case TINYINT, SMALLINT, INTEGER, BIGINT, DECIMAL, FLOAT, REAL, DOUBLE ->
          literal.getValueAs(BigDecimal.class).doubleValue();
      default -> null;
    };
  }

  /**
   * {@code days_add(d, n)}, {@code months_sub(d, n)} and the like (what MySQL's {@code d + INTERVAL
   * n unit} becomes) with a constant date and a number literal, or {@code null}.
   */
  private static Double dateArithmetic(RexCall call) {
    String name = call.getOperator().getName().toLowerCase(java.util.Locale.ROOT);
    int underscore = name.lastIndexOf('_');
    if (call.getOperands().size() != 2 || underscore < 0) {
      return null;
    }
    String direction = name.substring(underscore + 1);
    double daysPerUnit =
        switch (name.substring(0, underscore)) {
          case "years" -> 12 * DAYS_PER_MONTH;
          case "months" -> DAYS_PER_MONTH;
          case "weeks" -> 7;
          case "days" -> 1;
          case "hours" -> 1.0 / 24;
          case "minutes" -> 1.0 / 1440;
          case "seconds" -> 1.0 / 86_400;
          default -> Double.NaN;
        };
    RexNode base = call.getOperands().get(0);
    Double start = number(base);
    Double amount =
        call.getOperands().get(1) instanceof RexLiteral literal
                && SqlTypeName.NUMERIC_TYPES.contains(literal.getTypeName())
            ? number(literal)
            : null;
    if (Double.isNaN(daysPerUnit) || start == null || amount == null) {
      return null;
    }
    double days = amount * daysPerUnit;
    double shift =
        switch (base.getType().getSqlTypeName()) {
          case DATE -> days;
          case TIMESTAMP -> days * MILLIS_PER_DAY * 1000;
          default -> Double.NaN;
        };
    return switch (direction) {
      case "add" -> Double.isNaN(shift) ? null : start + shift;
      case "sub" -> Double.isNaN(shift) ? null : start - shift;
      default -> null;
    };
  }

  /** An interval literal in the unit of {@code baseType} (days for DATE, micros for TIMESTAMP). */
  private static Double intervalIn(RexNode node, SqlTypeName baseType) {
    if (!(node instanceof RexLiteral literal)
        || !SqlTypeName.INTERVAL_TYPES.contains(literal.getTypeName())) {
      return null;
    }
    BigDecimal value = literal.getValueAs(BigDecimal.class);
    if (value == null) {
      return null;
    }
    boolean months = SqlTypeName.YEAR_INTERVAL_TYPES.contains(literal.getTypeName());
    double days =
        months ? value.doubleValue() * DAYS_PER_MONTH : value.doubleValue() / MILLIS_PER_DAY;
    return switch (baseType) {
      case DATE -> days;
      case TIMESTAMP -> days * MILLIS_PER_DAY * 1000;
      default -> null;
    };
  }

  private static Double number(Comparable<?> value) {
    return switch (value) {
      case BigDecimal decimal -> decimal.doubleValue();
      case Number number -> number.doubleValue();
      case DateString date -> (double) date.getDaysSinceEpoch();
      case TimestampString timestamp -> timestamp.getMillisSinceEpoch() * 1000.0;
      default -> null;
    };
  }

  private static double clamp(double selectivity) {
    return Math.max(0.0, Math.min(1.0, selectivity));
  }

  /** The values of one column a conjunction of range comparisons lets through. */
  private static final class Interval {
    private final ColumnStatistics stats;
    private double low = Double.NEGATIVE_INFINITY;
    private double high = Double.POSITIVE_INFINITY;
    private boolean unknown;

    Interval(ColumnStatistics stats) {
      this.stats = stats;
    }

    void atLeast(Double value) {
      if (value == null) {
        unknown = true;
      } else {
        low = Math.max(low, value);
      }
    }

    void atMost(Double value) {
      if (value == null) {
        unknown = true;
      } else {
        high = Math.min(high, value);
      }
    }

    /** The interval's share of [min, max], at least one value's share when not empty. */
    double selectivity() {
      double nonNull = 1.0 - stats.nullFraction();
      if (unknown || stats.low() == null) {
        return nonNull / 3;
      }
      double min = stats.low();
      double max = stats.high();
      double oneValue = nonNull / Math.max(1, stats.ndv());
      if (high < min || low > max || low > high) {
        return oneValue / 2;
      }
      if (max <= min) {
        return nonNull;
      }
      double share = (Math.min(high, max) - Math.max(low, min)) / (max - min);
      return Math.max(oneValue, clamp(share) * nonNull);
    }
  }
}
