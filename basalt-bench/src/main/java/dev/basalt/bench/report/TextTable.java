package dev.basalt.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A table of text cells printed aligned for a terminal, or as a Markdown table. Not thread safe.
 */
public final class TextTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  /**
   * @param header the column titles
   */
  public TextTable(String... header) {
    this.header = List.of(header);
  }

  /** Adds a row; it must have as many cells as the header. */
  public TextTable row(String... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(
          "a row needs " + header.size() + " cells, not " + cells.length);
    }
    rows.add(List.of(cells));
    return this;
  }

  /** The table with space-aligned columns, one line a row, a rule under the header. */
  public String toTerminal() {
    int[] widths = new int[header.size()];
    for (int column = 0; column < widths.length; column++) {
      widths[column] = header.get(column).length();
      for (List<String> row : rows) {
        widths[column] = Math.max(widths[column], row.get(column).length());
      }
    }
    StringBuilder text = new StringBuilder();
    appendAligned(text, header, widths);
    for (int column = 0; column < widths.length; column++) {
      text.append(column == 0 ? "" : "  ").append("-".repeat(widths[column]));
    }
    text.append('\n');
    for (List<String> row : rows) {
      appendAligned(text, row, widths);
    }
    return text.toString();
  }

  private static void appendAligned(StringBuilder text, List<String> cells, int[] widths) {
    for (int column = 0; column < widths.length; column++) {
      String cell = cells.get(column);
      text.append(column == 0 ? "" : "  ");
      text.append(cell).append(" ".repeat(widths[column] - cell.length()));
    }
    text.setLength(text.length() - trailingBlanks(text));
    text.append('\n');
  }

  private static int trailingBlanks(StringBuilder text) {
    int count = 0;
    while (count < text.length() && text.charAt(text.length() - 1 - count) == ' ') {
      count++;
    }
    return count;
  }

  /** The table in Markdown. */
  public String toMarkdown() {
    StringBuilder text = new StringBuilder();
    text.append("| ").append(String.join(" | ", header)).append(" |\n");
    text.append("|").append(" --- |".repeat(header.size())).append('\n');
    for (List<String> row : rows) {
      text.append("| ")
          .append(String.join(" | ", row.stream().map(cell -> cell.replace("|", "\\|")).toList()))
          .append(" |\n");
    }
    return text.toString();
  }
}
