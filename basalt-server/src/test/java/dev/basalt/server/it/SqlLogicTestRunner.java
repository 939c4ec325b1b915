package dev.basalt.server.it;

import dev.basalt.server.it.SqlLogicRecord.SortMode;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the records of one sqllogictest file against a {@link SqlLogicTarget} over one connection (a
 * new one after each {@code restart}). Stops at the first failure with an {@link AssertionError}
 * naming {@code file:line}, the SQL, and expected against actual. Session state such as the current
 * database is whatever the file's own SQL sets ({@code USE demo}); a {@code restart} loses it, as
 * reconnecting would for any client. Values compare as text after {@link SqlLogicValues}.
 *
 * <p>Under {@code mode output_result} the runner prints each query's actual result in the file's
 * syntax (ready to paste) instead of checking it, and fails at the end so that the mode is not
 * committed by mistake. One runner per file; not thread safe.
 */
final class SqlLogicTestRunner {

  private final String fileName;
  private final List<SqlLogicRecord> records;
  private final SqlLogicTarget target;
  private final PrintStream output;
  private Connection connection;
  private boolean outputResultMode;
  private int outputResultLine;

  SqlLogicTestRunner(
      String fileName, List<SqlLogicRecord> records, SqlLogicTarget target, PrintStream output) {
    this.fileName = fileName;
    this.records = records;
    this.target = target;
    this.output = output;
  }

  /** One active {@code loop}: the variable's current value and where its body starts. */
  private static final class LoopFrame {
    final SqlLogicRecord.Loop loop;
    final int loopIndex;
    int value;

    LoopFrame(SqlLogicRecord.Loop loop, int loopIndex) {
      this.loop = loop;
      this.loopIndex = loopIndex;
      this.value = loop.from();
    }
  }

  /** Runs the whole file; returns normally if every record passed. */
  void run() throws Exception {
    Deque<LoopFrame> loops = new ArrayDeque<>();
    connection = connectOrFail(0);
    try {
      int index = 0;
      while (index < records.size()) {
        SqlLogicRecord record = records.get(index);
        switch (record) {
          case SqlLogicRecord.Loop loop -> {
            if (loop.from() >= loop.to()) {
              index = loop.endIndex() + 1;
              continue;
            }
            loops.push(new LoopFrame(loop, index));
          }
          case SqlLogicRecord.EndLoop endLoop -> {
            LoopFrame frame = loops.peek();
            frame.value++;
            if (frame.value < frame.loop.to()) {
              index = frame.loopIndex + 1;
              continue;
            }
            loops.pop();
          }
          case SqlLogicRecord.Statement statement -> runStatement(statement, variables(loops));
          case SqlLogicRecord.Query query -> runQuery(query, variables(loops));
          case SqlLogicRecord.Restart restart -> restart(restart);
          case SqlLogicRecord.OutputResultMode mode -> {
            outputResultMode = true;
            outputResultLine = mode.line();
          }
          case SqlLogicRecord.Halt halt -> {
            index = records.size();
            continue;
          }
        }
        index++;
      }
    } finally {
      closeConnection();
    }
    if (outputResultMode) {
      throw new AssertionError(
          fileName
              + ":"
              + outputResultLine
              + ": 'mode output_result' is on: results were printed, not checked."
              + " Paste them into the file and remove the mode line.");
    }
  }

  private static Map<String, String> variables(Deque<LoopFrame> loops) {
    Map<String, String> variables = new TreeMap<>();
    // Inner loops are at the head of the deque and win over outer ones with the same name.
    loops
        .descendingIterator()
        .forEachRemaining(
            frame -> variables.put(frame.loop.variable(), Integer.toString(frame.value)));
    return variables;
  }

  private static String substitute(String text, Map<String, String> variables) {
    String result = text;
    for (Map.Entry<String, String> variable : variables.entrySet()) {
      result = result.replace("${" + variable.getKey() + "}", variable.getValue());
    }
    return result;
  }

  private String where(SqlLogicRecord record, Map<String, String> variables) {
    String location = fileName + ":" + record.line();
    return variables.isEmpty() ? location : location + " (loop " + variables + ")";
  }

  private void runStatement(SqlLogicRecord.Statement statement, Map<String, String> variables) {
    String sql = substitute(statement.sql(), variables);
    try (Statement jdbcStatement = connection.createStatement()) {
      jdbcStatement.execute(sql);
    } catch (SQLException error) {
      if (!statement.expectError()) {
        throw new AssertionError(
            where(statement, variables)
                + ": statement failed\nSQL:\n"
                + indent(sql)
                + "\nerror: "
                + describe(error),
            error);
      }
      String expected = substitute(statement.expectedError(), variables);
      if (!errorMatches(error, expected)) {
        throw new AssertionError(
            where(statement, variables)
                + ": statement failed with a different error\nSQL:\n"
                + indent(sql)
                + "\nexpected error: "
                + expected
                + "\nactual error:   "
                + describe(error),
            error);
      }
      if (outputResultMode) {
        output.println("statement error\n" + sql + "\n----\n" + error.getMessage() + "\n");
      }
      return;
    }
    if (statement.expectError()) {
      throw new AssertionError(
          where(statement, variables)
              + ": statement succeeded but an error was expected\nSQL:\n"
              + indent(sql)
              + "\nexpected error: "
              + substitute(statement.expectedError(), variables));
    }
  }

  /** A number alone matches the vendor error code; anything else is a substring of the message. */
  private static boolean errorMatches(SQLException error, String expected) {
    if (expected.matches("\\d+")) {
      return Integer.parseInt(expected) == error.getErrorCode();
    }
    String message = error.getMessage();
    return message != null && message.contains(expected);
  }

  private static String describe(SQLException error) {
    return "[" + error.getErrorCode() + ", " + error.getSQLState() + "] " + error.getMessage();
  }

  private void runQuery(SqlLogicRecord.Query query, Map<String, String> variables) {
    String sql = substitute(query.sql(), variables);
    String types = query.types();
    List<List<String>> actual = new ArrayList<>();
    int columnCount;
    try (Statement jdbcStatement = connection.createStatement()) {
      if (!jdbcStatement.execute(sql)) {
        throw new AssertionError(
            where(query, variables) + ": query returned no result set\nSQL:\n" + indent(sql));
      }
      try (ResultSet resultSet = jdbcStatement.getResultSet()) {
        ResultSetMetaData metaData = resultSet.getMetaData();
        columnCount = metaData.getColumnCount();
        if (columnCount != types.length() && !outputResultMode) {
          throw new AssertionError(
              where(query, variables)
                  + ": query declares "
                  + types.length()
                  + " column(s) ('"
                  + types
                  + "') but returned "
                  + columnCount
                  + "\nSQL:\n"
                  + indent(sql));
        }
        while (resultSet.next()) {
          List<String> row = new ArrayList<>(columnCount);
          for (int column = 1; column <= columnCount; column++) {
            char letter = column <= types.length() ? types.charAt(column - 1) : 'T';
            row.add(SqlLogicValues.normalizeActual(letter, text(resultSet, metaData, column)));
          }
          actual.add(row);
        }
      }
    } catch (SQLException error) {
      throw new AssertionError(
          where(query, variables)
              + ": query failed\nSQL:\n"
              + indent(sql)
              + "\nerror: "
              + describe(error),
          error);
    }

    if (outputResultMode) {
      printResult(query, sql, columnCount, actual);
      return;
    }

    List<List<String>> expected =
        expectedRows(
            query, variables, columnCount, substituteAll(query.expectedLines(), variables));
    List<String> actualLines = render(sorted(actual, query.sortMode()));
    List<String> expectedLines = render(sorted(expected, query.sortMode()));
    if (!actualLines.equals(expectedLines)) {
      throw new AssertionError(
          where(query, variables)
              + ": query results differ"
              + (query.sortMode() == SortMode.NOSORT
                  ? ""
                  : " (after " + query.sortMode().name().toLowerCase() + ")")
              + "\nSQL:\n"
              + indent(sql)
              + "\nexpected ("
              + expected.size()
              + " row(s)):\n"
              + String.join("\n", expectedLines)
              + "\nactual ("
              + actual.size()
              + " row(s)):\n"
              + String.join("\n", actualLines)
              + firstDifference(expectedLines, actualLines));
    }
  }

  private static List<String> substituteAll(List<String> lines, Map<String, String> variables) {
    return lines.stream().map(line -> substitute(line, variables)).toList();
  }

  /**
   * Expected lines as rows: normally one row per line with tab-separated values; SQLite's older
   * layout with one value per line is accepted when every line holds one value.
   */
  private List<List<String>> expectedRows(
      SqlLogicRecord.Query query,
      Map<String, String> variables,
      int columnCount,
      List<String> lines) {
    String types = query.types();
    List<List<String>> rows = new ArrayList<>();
    boolean oneValuePerLine =
        columnCount > 1
            && !lines.isEmpty()
            && lines.stream().noneMatch(line -> line.contains("\t"))
            && lines.size() % columnCount == 0;
    if (oneValuePerLine) {
      for (int start = 0; start < lines.size(); start += columnCount) {
        List<String> row = new ArrayList<>(columnCount);
        for (int column = 0; column < columnCount; column++) {
          row.add(
              SqlLogicValues.normalizeExpected(types.charAt(column), lines.get(start + column)));
        }
        rows.add(row);
      }
      return rows;
    }
    for (int lineIndex = 0; lineIndex < lines.size(); lineIndex++) {
      String[] values = lines.get(lineIndex).split("\t", -1);
      if (values.length != columnCount) {
        throw new AssertionError(
            where(query, variables)
                + ": expected row "
                + (lineIndex + 1)
                + " has "
                + values.length
                + " tab-separated value(s) but the query returned "
                + columnCount
                + " column(s): '"
                + lines.get(lineIndex)
                + "'");
      }
      List<String> row = new ArrayList<>(columnCount);
      for (int column = 0; column < columnCount; column++) {
        row.add(SqlLogicValues.normalizeExpected(types.charAt(column), values[column]));
      }
      rows.add(row);
    }
    return rows;
  }

  private static final Comparator<List<String>> ROW_ORDER =
      (left, right) -> {
        for (int column = 0; column < Math.min(left.size(), right.size()); column++) {
          int compared = left.get(column).compareTo(right.get(column));
          if (compared != 0) {
            return compared;
          }
        }
        return Integer.compare(left.size(), right.size());
      };

  private static List<List<String>> sorted(List<List<String>> rows, SortMode sortMode) {
    return switch (sortMode) {
      case NOSORT -> rows;
      case ROWSORT -> rows.stream().sorted(ROW_ORDER).toList();
      case VALUESORT ->
          rows.stream().flatMap(List::stream).sorted().map(value -> List.of(value)).toList();
    };
  }

  private static List<String> render(List<List<String>> rows) {
    return rows.stream().map(row -> String.join("\t", row)).toList();
  }

  private static String firstDifference(List<String> expected, List<String> actual) {
    for (int row = 0; row < Math.max(expected.size(), actual.size()); row++) {
      String expectedRow = row < expected.size() ? expected.get(row) : "<no row>";
      String actualRow = row < actual.size() ? actual.get(row) : "<no row>";
      if (!expectedRow.equals(actualRow)) {
        return "\nfirst difference at row "
            + (row + 1)
            + ": expected '"
            + expectedRow
            + "', actual '"
            + actualRow
            + "'";
      }
    }
    return "";
  }

  private void printResult(
      SqlLogicRecord.Query query, String sql, int columnCount, List<List<String>> actual) {
    StringBuilder printed = new StringBuilder();
    String types = query.types().length() == columnCount ? query.types() : "T".repeat(columnCount);
    printed.append("query ").append(types);
    if (query.sortMode() != SortMode.NOSORT) {
      printed.append(' ').append(query.sortMode().name().toLowerCase());
    }
    printed.append('\n').append(sql).append("\n----\n");
    for (String line : render(sorted(actual, query.sortMode()))) {
      printed.append(line).append('\n');
    }
    output.println(printed);
  }

  private void restart(SqlLogicRecord.Restart restart) throws Exception {
    closeConnection();
    try {
      target.restart();
    } catch (Exception error) {
      throw new AssertionError(
          fileName
              + ":"
              + restart.line()
              + ": restart of "
              + target.describe()
              + " failed: "
              + error,
          error);
    }
    connection = connectOrFail(restart.line());
  }

  /**
   * The value as the server sent it, as the mysql command-line client prints it. Connector/J's
   * {@code getString} turns a DECIMAL into {@code BigDecimal.toString()}, which switches to
   * exponent form for tiny values ({@code 6.17283945061728E-24} for the wire text {@code
   * 0.00000000000000000000000617283945061728}, from MariaDB as from Basalt); {@code toPlainString}
   * of the same BigDecimal gives back the wire text digit for digit, scale included.
   */
  private static String text(ResultSet resultSet, ResultSetMetaData metaData, int column)
      throws SQLException {
    if (metaData.getColumnType(column) == Types.DECIMAL) {
      BigDecimal value = resultSet.getBigDecimal(column);
      return value == null ? null : value.toPlainString();
    }
    return resultSet.getString(column);
  }

  private Connection connectOrFail(int line) {
    try {
      return target.connect();
    } catch (SQLException error) {
      String location = line == 0 ? fileName : fileName + ":" + line;
      throw new AssertionError(
          location + ": cannot connect to " + target.describe() + ": " + describe(error), error);
    }
  }

  private void closeConnection() throws SQLException {
    if (connection != null) {
      Connection closing = connection;
      connection = null;
      closing.close();
    }
  }

  private static String indent(String sql) {
    return "  " + sql.replace("\n", "\n  ");
  }
}
