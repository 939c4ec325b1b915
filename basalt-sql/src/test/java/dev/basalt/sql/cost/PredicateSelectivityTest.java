package dev.basalt.sql.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.basalt.meta.statistics.ColumnStatistics;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.metadata.RelMdUtil;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;
import org.junit.jupiter.api.Test;

class PredicateSelectivityTest {
  private final RelDataTypeFactory types = new JavaTypeFactoryImpl();
  private final RexBuilder rex = new RexBuilder(types);
  private final RelDataType intType =
      types.createTypeWithNullability(types.createSqlType(SqlTypeName.INTEGER), true);
  private final RelDataType dateType = types.createSqlType(SqlTypeName.DATE);
  private final RelDataType stringType = types.createSqlType(SqlTypeName.VARCHAR, 20);

  private static final double DAY_1992 = LocalDate.of(1992, 1, 1).toEpochDay();
  private static final double DAY_1999 = LocalDate.of(1999, 1, 1).toEpochDay();

  /** $0 INT: 1,000 rows, 100 distinct in [0, 1000], 100 NULLs; $1 DATE over 7 years; $2 text. */
  private final List<ColumnStatistics> statistics =
      List.of(
          new ColumnStatistics(1, "i", 1000, 100, 100, 3600, "0", "1000", 0.0, 1000.0),
          new ColumnStatistics(
              2, "d", 1000, 2557, 0, 4000, "1992-01-01", "1999-01-01", DAY_1992, DAY_1999),
          new ColumnStatistics(3, "s", 1000, 25, 0, 8000, "ALGERIA", "VIETNAM", null, null));

  private final IntFunction<ColumnStatistics> columns = statistics::get;

  private RexNode column(int index) {
    RelDataType type = index == 0 ? intType : index == 1 ? dateType : stringType;
    return rex.makeInputRef(type, index);
  }

  private RexNode number(long value) {
    return rex.makeExactLiteral(BigDecimal.valueOf(value));
  }

  private RexNode date(String text) {
    return rex.makeDateLiteral(new DateString(text));
  }

  private double estimate(RexNode predicate) {
    return PredicateSelectivity.estimate(predicate, columns);
  }

  @Test
  void equalityIsOneOverNdvOfTheNonNullRows() {
    RexNode equal = rex.makeCall(SqlStdOperatorTable.EQUALS, column(0), number(5));
    assertThat(estimate(equal)).isCloseTo(0.9 / 100, within(1e-9));
    RexNode flipped = rex.makeCall(SqlStdOperatorTable.EQUALS, number(5), column(0));
    assertThat(estimate(flipped)).isCloseTo(0.9 / 100, within(1e-9));
    RexNode text = rex.makeCall(SqlStdOperatorTable.EQUALS, column(2), rex.makeLiteral("FRANCE"));
    assertThat(estimate(text)).isCloseTo(1.0 / 25, within(1e-9));
    RexNode notEqual =
        rex.makeCall(SqlStdOperatorTable.NOT_EQUALS, column(2), rex.makeLiteral("X"));
    assertThat(estimate(notEqual)).isCloseTo(24.0 / 25, within(1e-9));
  }

  @Test
  void rangesOnOneColumnAreIntersected() {
    RexNode from = rex.makeCall(SqlStdOperatorTable.GREATER_THAN_OR_EQUAL, column(0), number(100));
    RexNode to = rex.makeCall(SqlStdOperatorTable.LESS_THAN, column(0), number(300));
    assertThat(estimate(from)).isCloseTo(0.9 * 0.9, within(1e-9));
    assertThat(estimate(rex.makeCall(SqlStdOperatorTable.AND, from, to)))
        .isCloseTo(0.9 * 0.2, within(1e-9));
    RexNode outside = rex.makeCall(SqlStdOperatorTable.GREATER_THAN, column(0), number(5000));
    assertThat(estimate(outside)).isLessThan(0.01).isGreaterThan(0);
  }

  @Test
  void dateRangesFoldIntervalArithmetic() {
    RexNode start = date("1994-01-01");
    RexNode oneYearLater =
        rex.makeCall(
            SqlStdOperatorTable.DATETIME_PLUS,
            start,
            rex.makeIntervalLiteral(
                BigDecimal.valueOf(12),
                new SqlIntervalQualifier(TimeUnit.YEAR, TimeUnit.MONTH, SqlParserPos.ZERO)));
    RexNode range =
        rex.makeCall(
            SqlStdOperatorTable.AND,
            rex.makeCall(SqlStdOperatorTable.GREATER_THAN_OR_EQUAL, column(1), start),
            rex.makeCall(SqlStdOperatorTable.LESS_THAN, column(1), oneYearLater));
    assertThat(estimate(range)).isCloseTo(1.0 / 7, within(0.002));
  }

  @Test
  void nullTestsUseTheNullFraction() {
    assertThat(estimate(rex.makeCall(SqlStdOperatorTable.IS_NULL, column(0))))
        .isCloseTo(0.1, within(1e-9));
    assertThat(estimate(rex.makeCall(SqlStdOperatorTable.IS_NOT_NULL, column(0))))
        .isCloseTo(0.9, within(1e-9));
  }

  @Test
  void orNotAndLikeCombine() {
    RexNode france = rex.makeCall(SqlStdOperatorTable.EQUALS, column(2), rex.makeLiteral("FRANCE"));
    RexNode germany =
        rex.makeCall(SqlStdOperatorTable.EQUALS, column(2), rex.makeLiteral("GERMANY"));
    double one = 1.0 / 25;
    assertThat(estimate(rex.makeCall(SqlStdOperatorTable.OR, france, germany)))
        .isCloseTo(1 - (1 - one) * (1 - one), within(1e-9));
    assertThat(estimate(rex.makeCall(SqlStdOperatorTable.NOT, france)))
        .isCloseTo(1 - one, within(1e-9));
    RexNode like = rex.makeCall(SqlStdOperatorTable.LIKE, column(2), rex.makeLiteral("%green%"));
    assertThat(estimate(like)).isEqualTo(PredicateSelectivity.LIKE_SELECTIVITY);
  }

  @Test
  void inListsAreSearchesOverPoints() {
    RexNode in =
        rex.makeIn(
            column(2), List.of(rex.makeLiteral("A"), rex.makeLiteral("B"), rex.makeLiteral("C")));
    assertThat(estimate(in)).isCloseTo(3.0 / 25, within(1e-9));
  }

  @Test
  void columnsWithoutStatisticsGetCalcitesGuess() {
    RexNode equal = rex.makeCall(SqlStdOperatorTable.EQUALS, column(0), number(5));
    assertThat(PredicateSelectivity.estimate(equal, index -> null))
        .isEqualTo(RelMdUtil.guessSelectivity(equal));
    assertThat(PredicateSelectivity.estimate(null, columns)).isEqualTo(1.0);
  }
}
