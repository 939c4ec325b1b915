package dev.basalt.sql.planner;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParserPos;

/** Turns Calcite's parse and validation failures into Basalt errors with MySQL codes. */
final class PlanningErrors {
  private static final Pattern COLUMN_NOT_FOUND =
      Pattern.compile("Column '([^']*)' not found in (any table|table '([^']*)')");
  private static final Pattern OBJECT_NOT_FOUND =
      Pattern.compile("(?:Object|Table) '([^']*)' not found(?: within '([^']*)')?");
  private static final Pattern NO_FUNCTION =
      Pattern.compile("No match found for function signature ([A-Za-z_0-9]+)\\(");
  private static final Pattern AMBIGUOUS = Pattern.compile("Column '([^']*)' is ambiguous");

  private PlanningErrors() {}

  static BasaltException syntaxError(SqlParseException e, String sql) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof StackOverflowError) {
        // The parser's recursion ran out of stack: the statement is too deep, not malformed.
        return new BasaltException(e, ErrorCode.STATEMENT_TOO_DEEP);
      }
    }
    SqlParserPos position = e.getPos();
    String near = "";
    if (position != null && position.getLineNum() > 0) {
      int offset = offsetOf(sql, position.getLineNum(), position.getColumnNum());
      near = sql.substring(Math.min(offset, sql.length()));
      if (near.length() > 60) {
        near = near.substring(0, 60);
      }
    }
    String where =
        position == null || position.getLineNum() <= 0
            ? ""
            : " at line " + position.getLineNum() + ", column " + position.getColumnNum();
    String expected =
        e.getExpectedTokenNames() == null || e.getExpectedTokenNames().isEmpty()
            ? ""
            : firstLine(e.getMessage());
    String detail =
        "check the manual that corresponds to your Basalt server version for the right syntax to use near '"
            + near
            + "'"
            + where;
    if (!expected.isEmpty()) {
      detail += " (" + expected + ")";
    }
    return new BasaltException(e, ErrorCode.SYNTAX_ERROR, detail);
  }

  static BasaltException translate(RuntimeException e, SqlText text, String currentDatabase) {
    Throwable cause = e;
    String position = "";
    if (e instanceof CalciteContextException context) {
      cause = context.getCause() == null ? e : context.getCause();
      position = " at line " + context.getPosLine() + ", column " + context.getPosColumn();
    }
    String message = text.restoreVariables(String.valueOf(cause.getMessage()));
    Matcher matcher = COLUMN_NOT_FOUND.matcher(message);
    if (matcher.find()) {
      String column =
          matcher.group(3) == null ? matcher.group(1) : matcher.group(3) + "." + matcher.group(1);
      return new BasaltException(e, ErrorCode.UNKNOWN_COLUMN, column, "field list");
    }
    matcher = OBJECT_NOT_FOUND.matcher(message);
    if (matcher.find()) {
      String table = matcher.group(1);
      // Calcite names the first missing part: for `db.t` with an unknown db that is `db`.
      Matcher qualified =
          Pattern.compile("`?" + Pattern.quote(table) + "`?\\s*\\.\\s*`?([A-Za-z0-9_$]+)`?")
              .matcher(text.sql());
      if (matcher.group(2) == null && qualified.find()) {
        return new BasaltException(e, ErrorCode.UNKNOWN_TABLE, table + "." + qualified.group(1));
      }
      if (matcher.group(2) != null) {
        table = matcher.group(2) + "." + table;
      } else if (currentDatabase != null && !table.contains(".")) {
        table = currentDatabase + "." + table;
      }
      if (currentDatabase == null && !matcher.group(1).contains(".") && matcher.group(2) == null) {
        return new BasaltException(e, ErrorCode.NO_DATABASE_SELECTED);
      }
      return new BasaltException(e, ErrorCode.UNKNOWN_TABLE, table);
    }
    matcher = NO_FUNCTION.matcher(message);
    if (matcher.find()) {
      return new BasaltException(
          e, ErrorCode.UNKNOWN_FUNCTION, matcher.group(1).toLowerCase(java.util.Locale.ROOT));
    }
    matcher = AMBIGUOUS.matcher(message);
    if (matcher.find()) {
      return new BasaltException(e, ErrorCode.AMBIGUOUS_COLUMN, matcher.group(1), "field list");
    }
    if (cause instanceof BasaltException basalt) {
      return basalt;
    }
    if (message.startsWith("while converting ")) {
      // SqlToRelConverter gave up on a valid query: a shape Basalt cannot plan yet, not a user
      // error (e.g. a scalar subquery inside an aggregate's argument list of another subquery).
      return new BasaltException(
          e,
          ErrorCode.UNSUPPORTED,
          "this subquery ("
              + firstLine(message.substring("while converting ".length()))
              + " could not be converted)");
    }
    return new BasaltException(e, ErrorCode.ANALYSIS_ERROR, message + position);
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** Offset of a 1-based line and column in {@code sql}. */
  static int offsetOf(String sql, int line, int column) {
    int offset = 0;
    for (int current = 1; current < line && offset < sql.length(); offset++) {
      if (sql.charAt(offset) == '\n') {
        current++;
      }
    }
    return Math.min(sql.length(), offset + Math.max(column - 1, 0));
  }
}
