package dev.basalt.bench.load;

import dev.basalt.bench.report.Progress;
import dev.basalt.bench.tpch.TpchColumn;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Loads a {@code |}-separated file with multi-row {@code INSERT ... VALUES} statements over JDBC,
 * {@code rowsPerStatement} rows each: the fallback front door when Stream Load is missing. Not
 * thread safe; the caller owns the connection.
 */
public final class InsertBatchLoader {
  private final Connection connection;
  private final int rowsPerStatement;

  /**
   * @param connection a connection whose current database holds the table
   * @param rowsPerStatement rows in one INSERT statement, e.g. 1000
   */
  public InsertBatchLoader(Connection connection, int rowsPerStatement) {
    this.connection = connection;
    this.rowsPerStatement = rowsPerStatement;
  }

  /**
   * Loads every line of {@code file} into {@code table}.
   *
   * @return the number of rows loaded
   */
  public long load(String table, List<TpchColumn> columns, Path file, Progress progress)
      throws IOException, SQLException {
    long rows = 0;
    StringBuilder statementText = new StringBuilder();
    int rowsInStatement = 0;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        Statement statement = connection.createStatement()) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isEmpty()) {
          continue;
        }
        statementText.append(rowsInStatement == 0 ? "INSERT INTO " + table + " VALUES " : ", ");
        appendRow(statementText, line, columns);
        rowsInStatement++;
        rows++;
        if (rowsInStatement == rowsPerStatement) {
          statement.execute(statementText.toString());
          statementText.setLength(0);
          rowsInStatement = 0;
          progress.update(String.format("loading %s over INSERT: %,d rows", table, rows));
        }
      }
      if (rowsInStatement > 0) {
        statement.execute(statementText.toString());
      }
    }
    return rows;
  }

  /** Appends {@code (v1, v2, ...)} for one {@code |}-separated line. */
  static void appendRow(StringBuilder text, String line, List<TpchColumn> columns) {
    String[] values = line.split("\\|", -1);
    if (values.length != columns.size()) {
      throw new IllegalArgumentException(
          "expected " + columns.size() + " fields, found " + values.length + " in line: " + line);
    }
    text.append('(');
    for (int index = 0; index < values.length; index++) {
      if (index > 0) {
        text.append(", ");
      }
      if (columns.get(index).quoted()) {
        appendQuoted(text, values[index]);
      } else {
        text.append(values[index]);
      }
    }
    text.append(')');
  }

  /** Appends a MySQL string literal: quotes and backslashes escaped with a backslash. */
  public static void appendQuoted(StringBuilder text, String value) {
    text.append('\'');
    for (int index = 0; index < value.length(); index++) {
      char character = value.charAt(index);
      if (character == '\'' || character == '\\') {
        text.append('\\');
      }
      text.append(character);
    }
    text.append('\'');
  }
}
