package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.server.it.SqlLogicRecord.SortMode;
import dev.basalt.server.it.SqlLogicTestParser.SqlLogicParseException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the sqllogictest parser and runner on their own, against SQLite (an embedded file
 * database: a "restart" reopens the file), so that a failure in the Basalt corpus points at Basalt,
 * not at the runner.
 */
class SqlLogicRunnerSelfTest {

  @TempDir Path temporaryDirectory;

  /** SQLite in one file; restart is a reconnect, which is what a restart means for a file. */
  private final class SqliteTarget implements SqlLogicTarget {
    int restarts;

    @Override
    public Connection connect() throws SQLException {
      return DriverManager.getConnection("jdbc:sqlite:" + temporaryDirectory.resolve("self.db"));
    }

    @Override
    public void restart() {
      restarts++;
    }

    @Override
    public String describe() {
      return "SQLite";
    }

    @Override
    public void close() {}
  }

  private String run(String script) throws Exception {
    return run(script, new SqliteTarget());
  }

  private String run(String script, SqliteTarget target) throws Exception {
    List<SqlLogicRecord> records = SqlLogicTestParser.parse("self.test", script.lines().toList());
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (PrintStream output = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      new SqlLogicTestRunner("self.test", records, target, output).run();
    }
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void passingFileExercisesEveryRecordKind() throws Exception {
    SqliteTarget target = new SqliteTarget();
    run(
        """
        # name: self.test

        statement ok
        CREATE TABLE t (k INTEGER, name TEXT, price REAL)

        loop i 0 3
        statement ok
        INSERT INTO t VALUES (${i}, 'n${i}', ${i} + 0.5)

        endloop

        statement ok
        INSERT INTO t VALUES (10, '', NULL)

        query ITR
        SELECT k, name, price FROM t ORDER BY k DESC
        ----
        10	(empty)	NULL
        2	n2	2.50
        1	n1	1.5
        0	n0	0.5

        query I rowsort
        SELECT k FROM t
        ----
        0
        1
        10
        2

        query IT valuesort
        SELECT k, name FROM t WHERE k < 2
        ----
        0	1
        n0	n1

        query R
        SELECT 1.0 / 3
        ----
        0.333

        query IT
        SELECT k,
               name
        FROM t WHERE k = 1
        ----
        1
        n1

        statement error
        SELECT * FROM no_such_table
        ----
        no such table: no_such_table

        statement error
        SELEC 1
        ----
        1

        restart

        query I
        SELECT COUNT(*) FROM t
        ----
        4

        loop outer 0 2
        loop inner 0 2
        query T
        SELECT '${outer}' || '${inner}'
        ----
        ${outer}${inner}

        endloop
        endloop

        halt

        statement ok
        this is not SQL and must not run
        """,
        target);
    assertThat(target.restarts).isEqualTo(1);
  }

  @Test
  void differingResultNamesFileLineSqlExpectedAndActual() {
    assertThatThrownBy(
            () ->
                run(
                    """
                    statement ok
                    CREATE TABLE t (k INTEGER)

                    statement ok
                    INSERT INTO t VALUES (1), (2)

                    query I rowsort
                    SELECT k FROM t
                    ----
                    1
                    3
                    """))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("self.test:7: query results differ")
        .hasMessageContaining("SELECT k FROM t")
        .hasMessageContaining("expected (2 row(s)):\n1\n3")
        .hasMessageContaining("actual (2 row(s)):\n1\n2")
        .hasMessageContaining("first difference at row 2: expected '3', actual '2'");
  }

  @Test
  void failuresInsideLoopsNameTheIteration() {
    assertThatThrownBy(
            () ->
                run(
                    """
                    loop i 0 5
                    query I
                    SELECT ${i}
                    ----
                    0

                    endloop
                    """))
        .hasMessageContaining("self.test:2 (loop {i=1}): query results differ");
  }

  @Test
  void unexpectedSuccessAndWrongErrorFail() {
    assertThatThrownBy(
            () ->
                run(
                    """
                    statement error
                    SELECT 1
                    ----
                    anything
                    """))
        .hasMessageContaining("self.test:1: statement succeeded but an error was expected");
    assertThatThrownBy(
            () ->
                run(
                    """
                    statement error
                    SELECT * FROM missing
                    ----
                    some other message
                    """))
        .hasMessageContaining("statement failed with a different error")
        .hasMessageContaining("expected error: some other message")
        .hasMessageContaining("no such table: missing");
  }

  @Test
  void columnCountMismatchIsReported() {
    assertThatThrownBy(
            () ->
                run(
                    """
                    query II
                    SELECT 1
                    ----
                    1	1
                    """))
        .hasMessageContaining("query declares 2 column(s) ('II') but returned 1");
  }

  @Test
  void outputResultModePrintsResultsAndFailsAtTheEnd() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<SqlLogicRecord> records =
        SqlLogicTestParser.parse(
            "self.test",
            """
            mode output_result

            query IT
            SELECT 7, 'seven'
            ----
            wrong
            """
                .lines()
                .toList());
    try (PrintStream output = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      assertThatThrownBy(
              () -> new SqlLogicTestRunner("self.test", records, new SqliteTarget(), output).run())
          .hasMessageContaining("self.test:1: 'mode output_result' is on");
    }
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .isEqualTo("query IT\nSELECT 7, 'seven'\n----\n7\tseven\n\n");
  }

  @Test
  void parserReadsRecordsWithLinesAndLoopsPaired() {
    List<SqlLogicRecord> records =
        SqlLogicTestParser.parse(
            "p.test",
            """
            # comment
            statement ok
            CREATE TABLE t
              (k INT)

            query IR rowsort
            SELECT 1, 2.0
            ----
            1	2

            loop i 1 3
            restart
            endloop
            """
                .lines()
                .toList());
    assertThat(records)
        .containsExactly(
            new SqlLogicRecord.Statement(2, "CREATE TABLE t\n  (k INT)", false, null),
            new SqlLogicRecord.Query(6, "SELECT 1, 2.0", "IR", SortMode.ROWSORT, List.of("1\t2")),
            new SqlLogicRecord.Loop(11, "i", 1, 3, 4),
            new SqlLogicRecord.Restart(12),
            new SqlLogicRecord.EndLoop(13, 2));
  }

  @Test
  void parserRejectsMalformedFilesWithFileAndLine() {
    assertThatThrownBy(() -> parse("statement error\nSELECT 1\n"))
        .isInstanceOf(SqlLogicParseException.class)
        .hasMessage(
            "p.test:1: 'statement error' must name the expected error text (or MySQL error number)"
                + " after ----");
    assertThatThrownBy(() -> parse("\nquery X\nSELECT 1\n"))
        .hasMessageStartingWith("p.test:2: expected 'query <types>");
    assertThatThrownBy(() -> parse("loop i 0 3\n")).hasMessage("p.test:1: loop without endloop");
    assertThatThrownBy(() -> parse("endloop\n")).hasMessage("p.test:1: endloop without loop");
    assertThatThrownBy(() -> parse("skipif mysql\n"))
        .hasMessageStartingWith("p.test:1: unknown record 'skipif'");
    assertThatThrownBy(() -> parse("loop i 0 2\nstatement ok\nSELECT 1\nendloop\n"))
        .hasMessage("p.test:4: 'endloop' needs a blank line before it");
    assertThatThrownBy(() -> parse("statement ok\nSELECT 1\n----\nx\n"))
        .hasMessage("p.test:1: 'statement ok' cannot have a ---- section");
  }

  private static List<SqlLogicRecord> parse(String text) {
    return SqlLogicTestParser.parse("p.test", text.lines().toList());
  }

  @Test
  void valuesNormaliseByTypeLetter() {
    assertThat(SqlLogicValues.normalizeActual('I', null)).isEqualTo("NULL");
    assertThat(SqlLogicValues.normalizeActual('T', "")).isEqualTo("(empty)");
    assertThat(SqlLogicValues.normalizeActual('I', "42")).isEqualTo("42");
    assertThat(SqlLogicValues.normalizeActual('I', "3.000")).isEqualTo("3");
    assertThat(SqlLogicValues.normalizeActual('I', "-0.0")).isEqualTo("0");
    assertThat(SqlLogicValues.normalizeActual('I', "2.5")).isEqualTo("2.5");
    assertThat(SqlLogicValues.normalizeActual('I', "true")).isEqualTo("1");
    assertThat(SqlLogicValues.normalizeActual('I', "170141183460469231731687303715884105727"))
        .isEqualTo("170141183460469231731687303715884105727");
    assertThat(SqlLogicValues.normalizeActual('R', "2.50000")).isEqualTo("2.5");
    assertThat(SqlLogicValues.normalizeActual('R', "0.3333333333333333")).isEqualTo("0.333");
    assertThat(SqlLogicValues.normalizeActual('R', "0.6665")).isEqualTo("0.667");
    assertThat(SqlLogicValues.normalizeActual('R', "1.0E10")).isEqualTo("10000000000");
    assertThat(SqlLogicValues.normalizeActual('R', "-0.0001")).isEqualTo("0");
    assertThat(SqlLogicValues.normalizeActual('R', "10")).isEqualTo("10");
    assertThat(SqlLogicValues.normalizeActual('R', "Infinity")).isEqualTo("inf");
    assertThat(SqlLogicValues.normalizeActual('R', "NaN")).isEqualTo("nan");
    assertThat(SqlLogicValues.normalizeActual('T', "2024-01-31 10:00:00"))
        .isEqualTo("2024-01-31 10:00:00");
    assertThat(SqlLogicValues.normalizeExpected('R', "2.50")).isEqualTo("2.5");
    assertThat(SqlLogicValues.normalizeExpected('R', "NULL")).isEqualTo("NULL");
    assertThat(SqlLogicValues.normalizeExpected('I', "3.0")).isEqualTo("3.0");
  }
}
