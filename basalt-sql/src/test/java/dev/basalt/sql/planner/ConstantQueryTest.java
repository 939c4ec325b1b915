package dev.basalt.sql.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.ValueText;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.operator.Operator;
import dev.basalt.sql.schema.SchemaProvider;
import dev.basalt.sql.schema.TableDescriptor;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Plans and runs queries without tables, checking Doris's result types and values. */
class ConstantQueryTest {
  private static final SchemaProvider NO_TABLES =
      new SchemaProvider() {
        @Override
        public List<String> databaseNames() {
          return List.of();
        }

        @Override
        public List<TableDescriptor> tables(String database) {
          return List.of();
        }

        @Override
        public Optional<TableDescriptor> table(String database, String name) {
          return Optional.empty();
        }
      };

  private static final VariableResolver VARIABLES =
      new VariableResolver() {
        @Override
        public Object systemVariable(String name, boolean global) {
          return "v_" + name;
        }

        @Override
        public Object userVariable(String name) {
          return null;
        }
      };

  private final QueryPlanner planner = new QueryPlanner(FunctionRegistry.builtins());

  /** The first row of the query's result as text, with the column types' formatting. */
  private List<String> row(String sql) {
    PlannedQuery query = planner.plan(sql, NO_TABLES, null, VARIABLES);
    EvaluationContext context = EvaluationContext.now(ZoneId.of("Asia/Shanghai"), "test");
    OperatorBuilder builder =
        new OperatorBuilder(FunctionRegistry.builtins(), (table, columns, ctx) -> null, context);
    try (Operator operator = builder.build(query)) {
      Batch batch = operator.next();
      List<String> values = new ArrayList<>();
      for (int i = 0; i < query.columns().size(); i++) {
        DataType type = query.columns().get(i).type();
        values.add(ValueText.format(type, batch.column(i).getObject(0)));
      }
      return values;
    }
  }

  private DataType type(String sql) {
    return planner.plan(sql, NO_TABLES, null, VARIABLES).columns().get(0).type();
  }

  @Test
  void integerDivisionIsDouble() {
    assertThat(type("SELECT 7/2")).isEqualTo(DataType.DOUBLE);
    assertThat(row("SELECT 7/2, 1/0, 7 % 3, -7 % 3")).containsExactly("3.5", null, "1", "-1");
  }

  @Test
  void decimalDivisionKeepsFourMoreDigits() {
    assertThat(row("SELECT 1.0/3")).containsExactly("0.33333");
  }

  @Test
  void integerAdditionIsBigint() {
    assertThat(type("SELECT 2147483647 + 1")).isEqualTo(DataType.BIGINT);
    assertThat(row("SELECT 2147483647 + 1")).containsExactly("2147483648");
  }

  @Test
  void stringLiteralsFollowMysql() {
    assertThat(row("SELECT 'a\\tb', \"double\", 'it''s', 'it\\'s'"))
        .containsExactly("a\tb", "double", "it's", "it's");
  }

  @Test
  void anyScriptInLiterals() {
    assertThat(row("SELECT '日本語 🙂', concat('é', 'ß')")).containsExactly("日本語 🙂", "éß");
  }

  @Test
  void mysqlConvertIsCast() {
    assertThat(
            row(
                "SELECT CONVERT('42', UNSIGNED INTEGER), CONVERT(CASE WHEN 1 = 1 THEN '7' END, SIGNED)"))
        .containsExactly("42", "7");
  }

  @Test
  void unaliasedColumnsAreLabelledWithTheirText() {
    PlannedQuery query =
        planner.plan(
            "SELECT 1+1, @@version_comment, concat('a', 'b') AS c, cast(1 as string), 7 DIV 2, \"x\"",
            NO_TABLES,
            null,
            VARIABLES);
    assertThat(query.columns())
        .extracting(column -> column.name())
        .containsExactly("1+1", "@@version_comment", "c", "cast(1 as string)", "7 DIV 2", "x");
    assertThat(row("SELECT @@version_comment")).containsExactly("v_version_comment");
  }

  @Test
  void dateArithmeticWithIntervals() {
    assertThat(
            row(
                "SELECT DATE '2024-01-31' + INTERVAL 1 MONTH, date_add('2024-01-01', INTERVAL 3 DAY), date_sub(DATE '2024-03-01', INTERVAL 1 DAY)"))
        .containsExactly("2024-02-29", "2024-01-04 00:00:00", "2024-02-29");
    assertThat(
            row(
                "SELECT DATE '2024-01-01' + INTERVAL 5 HOUR, str_to_date('2024-02-03', '%Y-%m-%d')"))
        .containsExactly("2024-01-01 05:00:00", "2024-02-03");
  }

  @Test
  void integerDiv() {
    assertThat(row("SELECT 7 DIV 2")).containsExactly("3");
  }

  @Test
  void castToInteger() {
    assertThat(
            row(
                "SELECT CAST('12' AS integer), CAST(3.7 AS SIGNED), CAST(-3.7 AS SIGNED INTEGER), CAST(1 AS CHAR)"))
        .containsExactly("12", "3", "-3", "1");
  }

  @Test
  void mysqlWithRollupIsRollup() {
    assertThat(
            SqlText.withRollupToRollup(
                "SELECT a, COUNT(*) FROM t GROUP BY a, b WITH ROLLUP ORDER BY a"))
        .isEqualTo("SELECT a, COUNT(*) FROM t GROUP BY ROLLUP(a, b) ORDER BY a");
    assertThat(SqlText.withRollupToRollup("SELECT 'GROUP BY x WITH ROLLUP' FROM t"))
        .isEqualTo("SELECT 'GROUP BY x WITH ROLLUP' FROM t");
    assertThat(
            row(
                "SELECT COUNT(*) FROM (SELECT a, COUNT(*) AS c FROM (VALUES (1), (1), (2)) AS v(a) GROUP BY a WITH ROLLUP) AS r"))
        .containsExactly("3");
  }

  @Test
  void castsOfStringLiteralsToDatetimeKeepMicrosecondsAndTheTopOfTheRange() {
    assertThat(
            row(
                "SELECT CAST('2024-01-01 10:00:00.123456' AS DATETIME(6)),"
                    + " CAST('9999-12-31 23:59:59.999999' AS DATETIME(6)),"
                    + " CAST('2024-01-01 10:00:00.5' AS DATETIME(3))"))
        .containsExactly(
            "2024-01-01 10:00:00.123456", "9999-12-31 23:59:59.999999", "2024-01-01 10:00:00.500");
    // Rounding that would carry into year 10000 is NULL, as in MySQL, never a wrapped value.
    assertThat(
            row(
                "SELECT CAST('9999-12-31 23:59:59.999999' AS DATETIME),"
                    + " CAST('9999-12-31 23:59:59.4' AS DATETIME),"
                    + " CAST('2024-01-01 10:00:00.9999996' AS DATETIME(6))"))
        .containsExactly(null, "9999-12-31 23:59:59", "2024-01-01 10:00:01.000000");
  }
}
