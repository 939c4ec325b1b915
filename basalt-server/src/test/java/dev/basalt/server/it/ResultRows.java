package dev.basalt.server.it;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A query's rows as text, for tests that compare answers: one string per row, columns by '|'. */
final class ResultRows {
  private ResultRows() {}

  /** Runs {@code sql} and returns its rows in order, each column as {@code getString} reads it. */
  static List<String> of(Statement statement, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int column = 1; column <= columns; column++) {
          row.append(column > 1 ? "|" : "").append(result.getString(column));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  /** {@link #of}, sorted: for comparing the answers of a query that has no ORDER BY. */
  static List<String> sorted(Statement statement, String sql) throws SQLException {
    List<String> rows = of(statement, sql);
    rows.sort(null);
    return rows;
  }
}
