package dev.basalt.server.it;

import dev.basalt.server.it.SqlLogicRecord.SortMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Reads the sqllogictest format (SQLite's, as DuckDB extends it) into {@link SqlLogicRecord}s.
 *
 * <p>Supported: {@code # comments}; {@code statement ok}; {@code statement error} + SQL + {@code
 * ----} + expected error text (required); {@code query <I|R|T...> [nosort|rowsort|valuesort]} + SQL
 * + optional {@code ----} + expected rows; {@code restart}; {@code loop i 0 N} / {@code endloop};
 * {@code mode output_result}; {@code halt}. SQL runs over one or more lines up to a blank line or
 * {@code ----}; expected results run up to a blank line or the end of the file. Anything else is a
 * {@link SqlLogicParseException} naming the file and line. Stateless; thread safe.
 */
final class SqlLogicTestParser {

  private SqlLogicTestParser() {}

  /** A malformed test file; the message starts with {@code file:line:}. */
  static final class SqlLogicParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SqlLogicParseException(String fileName, int line, String message) {
      super(fileName + ":" + line + ": " + message);
    }
  }

  /**
   * @param fileName how failures name the file (e.g. {@code basic/restart.test})
   * @param lines the file's lines, without line terminators
   */
  static List<SqlLogicRecord> parse(String fileName, List<String> lines) {
    List<SqlLogicRecord> records = new ArrayList<>();
    Deque<Integer> openLoops = new ArrayDeque<>();
    int index = 0;
    while (index < lines.size()) {
      String raw = lines.get(index);
      String trimmed = raw.strip();
      int lineNumber = index + 1;
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        index++;
        continue;
      }
      String[] words = trimmed.split("\\s+");
      switch (words[0].toLowerCase(Locale.ROOT)) {
        case "statement" -> {
          if (words.length != 2 || !(words[1].equals("ok") || words[1].equals("error"))) {
            throw new SqlLogicParseException(
                fileName, lineNumber, "expected 'statement ok' or 'statement error', got: " + raw);
          }
          boolean expectError = words[1].equals("error");
          Block sql = readSql(fileName, lines, index + 1);
          if (sql.text.isEmpty()) {
            throw new SqlLogicParseException(fileName, lineNumber, "statement without SQL");
          }
          String expectedError = null;
          int next = sql.nextIndex;
          if (sql.endedAtSeparator) {
            if (!expectError) {
              throw new SqlLogicParseException(
                  fileName, lineNumber, "'statement ok' cannot have a ---- section");
            }
            Block expected = readUntilBlank(fileName, lines, sql.nextIndex);
            expectedError = String.join("\n", expected.lines).strip();
            next = expected.nextIndex;
          }
          if (expectError && (expectedError == null || expectedError.isEmpty())) {
            throw new SqlLogicParseException(
                fileName,
                lineNumber,
                "'statement error' must name the expected error text (or MySQL error number)"
                    + " after ----");
          }
          records.add(
              new SqlLogicRecord.Statement(lineNumber, sql.text, expectError, expectedError));
          index = next;
        }
        case "query" -> {
          if (words.length < 2 || words.length > 3 || !words[1].matches("[IRT]+")) {
            throw new SqlLogicParseException(
                fileName,
                lineNumber,
                "expected 'query <types> [nosort|rowsort|valuesort]' with types from I, R, T; got: "
                    + raw);
          }
          SortMode sortMode = SortMode.NOSORT;
          if (words.length == 3) {
            sortMode =
                switch (words[2]) {
                  case "nosort" -> SortMode.NOSORT;
                  case "rowsort" -> SortMode.ROWSORT;
                  case "valuesort" -> SortMode.VALUESORT;
                  default ->
                      throw new SqlLogicParseException(
                          fileName, lineNumber, "unknown sort mode '" + words[2] + "'");
                };
          }
          Block sql = readSql(fileName, lines, index + 1);
          if (sql.text.isEmpty()) {
            throw new SqlLogicParseException(fileName, lineNumber, "query without SQL");
          }
          List<String> expected = List.of();
          int next = sql.nextIndex;
          if (sql.endedAtSeparator) {
            Block expectedBlock = readUntilBlank(fileName, lines, sql.nextIndex);
            expected = expectedBlock.lines;
            next = expectedBlock.nextIndex;
          }
          records.add(new SqlLogicRecord.Query(lineNumber, sql.text, words[1], sortMode, expected));
          index = next;
        }
        case "restart" -> {
          requireWords(fileName, lineNumber, words, 1, "restart");
          records.add(new SqlLogicRecord.Restart(lineNumber));
          index++;
        }
        case "halt" -> {
          requireWords(fileName, lineNumber, words, 1, "halt");
          records.add(new SqlLogicRecord.Halt(lineNumber));
          index++;
        }
        case "mode" -> {
          if (words.length != 2 || !words[1].equals("output_result")) {
            throw new SqlLogicParseException(
                fileName, lineNumber, "only 'mode output_result' is supported; got: " + raw);
          }
          records.add(new SqlLogicRecord.OutputResultMode(lineNumber));
          index++;
        }
        case "loop" -> {
          requireWords(fileName, lineNumber, words, 4, "loop <variable> <from> <to>");
          if (!words[1].matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new SqlLogicParseException(
                fileName, lineNumber, "loop variable must be a name, got '" + words[1] + "'");
          }
          int from = parseInteger(fileName, lineNumber, words[2]);
          int to = parseInteger(fileName, lineNumber, words[3]);
          openLoops.push(records.size());
          // endIndex is filled in when the matching endloop is read.
          records.add(new SqlLogicRecord.Loop(lineNumber, words[1], from, to, -1));
          index++;
        }
        case "endloop" -> {
          requireWords(fileName, lineNumber, words, 1, "endloop");
          if (openLoops.isEmpty()) {
            throw new SqlLogicParseException(fileName, lineNumber, "endloop without loop");
          }
          int loopIndex = openLoops.pop();
          SqlLogicRecord.Loop loop = (SqlLogicRecord.Loop) records.get(loopIndex);
          records.set(
              loopIndex,
              new SqlLogicRecord.Loop(
                  loop.line(), loop.variable(), loop.from(), loop.to(), records.size()));
          records.add(new SqlLogicRecord.EndLoop(lineNumber, loopIndex));
          index++;
        }
        default ->
            throw new SqlLogicParseException(
                fileName,
                lineNumber,
                "unknown record '"
                    + words[0]
                    + "' (expected statement, query, restart, loop, endloop, mode, halt or # comment)");
      }
    }
    if (!openLoops.isEmpty()) {
      SqlLogicRecord open = records.get(openLoops.peek());
      throw new SqlLogicParseException(fileName, open.line(), "loop without endloop");
    }
    return List.copyOf(records);
  }

  private static void requireWords(
      String fileName, int lineNumber, String[] words, int count, String form) {
    if (words.length != count) {
      throw new SqlLogicParseException(
          fileName, lineNumber, "expected '" + form + "', got: " + String.join(" ", words));
    }
  }

  private static int parseInteger(String fileName, int lineNumber, String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new SqlLogicParseException(fileName, lineNumber, "not an integer: '" + text + "'");
    }
  }

  private record Block(String text, List<String> lines, boolean endedAtSeparator, int nextIndex) {}

  /** SQL lines from {@code start} up to a blank line, {@code ----} or the end. */
  private static Block readSql(String fileName, List<String> lines, int start) {
    List<String> sqlLines = new ArrayList<>();
    int index = start;
    while (index < lines.size()) {
      String line = lines.get(index);
      if (line.strip().equals("----")) {
        return new Block(joinSql(sqlLines), sqlLines, true, index + 1);
      }
      if (line.isBlank()) {
        break;
      }
      rejectDirective(fileName, index, line);
      sqlLines.add(line);
      index++;
    }
    return new Block(joinSql(sqlLines), sqlLines, false, index);
  }

  /** Lines from {@code start} up to a blank line or the end, kept exactly (tabs matter). */
  private static Block readUntilBlank(String fileName, List<String> lines, int start) {
    List<String> block = new ArrayList<>();
    int index = start;
    while (index < lines.size() && !lines.get(index).isBlank()) {
      rejectDirective(fileName, index, lines.get(index));
      block.add(lines.get(index));
      index++;
    }
    return new Block(String.join("\n", block), List.copyOf(block), false, index);
  }

  /**
   * A record such as {@code endloop} right after SQL or results, without the blank line that ends
   * them, would silently become part of them; say so instead.
   */
  private static void rejectDirective(String fileName, int index, String line) {
    String word = line.strip();
    if (word.equals("endloop")
        || word.equals("restart")
        || word.equals("halt")
        || word.startsWith("statement ")
        || word.startsWith("query ")
        || word.startsWith("loop ")) {
      throw new SqlLogicParseException(
          fileName, index + 1, "'" + word + "' needs a blank line before it");
    }
  }

  private static String joinSql(List<String> sqlLines) {
    return String.join("\n", sqlLines).strip();
  }
}
