package dev.basalt.sql.ddl;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.result.ResultSet;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.statistics.ColumnStatistics;
import dev.basalt.meta.statistics.TableStatistics;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code SHOW TABLE STATS t} and {@code SHOW COLUMN STATS t [(columns)]}: the statistics {@code
 * ANALYZE TABLE} stored, in the column layout of Doris 2.1 (docs/statistics.md). Stateless.
 */
final class StatisticsShow {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private StatisticsShow() {}

  /**
   * One row: rows changed since the last analysis, the current row count, and when and how that
   * analysis ran (NULL when the table was never analyzed).
   */
  static ResultSet tableStats(
      TableMeta table, long currentRows, Optional<TableStatistics> statistics, ZoneId zone) {
    ShowRows rows =
        ShowRows.text(
            "updated_rows",
            "query_times",
            "row_count",
            "updated_time",
            "columns",
            "trigger",
            "new_partition",
            "user_inject",
            "enable_auto_analyze",
            "last_analyze_time");
    if (statistics.isEmpty()) {
      return rows.row(
              String.valueOf(currentRows),
              "0",
              String.valueOf(currentRows),
              null,
              "[]",
              null,
              "false",
              "false",
              "true",
              null)
          .build();
    }
    TableStatistics analyzed = statistics.get();
    List<String> names = new ArrayList<>();
    for (ColumnMeta column : table.columns()) {
      if (analyzed.column(column.uniqueId()) != null) {
        names.add(column.name());
      }
    }
    String time = time(analyzed.analyzedAtMillis(), zone);
    return rows.row(
            String.valueOf(Math.abs(currentRows - analyzed.rowCount())),
            "0",
            String.valueOf(currentRows),
            time,
            "[" + String.join(", ", names) + "]",
            analyzed.trigger(),
            "false",
            "false",
            "true",
            time)
        .build();
  }

  /** One row per analyzed column (of {@code only}, when not empty), in table order. */
  static ResultSet columnStats(
      TableMeta table, List<String> only, Optional<TableStatistics> statistics, ZoneId zone) {
    for (String name : only) {
      if (table.columns().stream().noneMatch(column -> column.name().equalsIgnoreCase(name))) {
        throw new BasaltException(ErrorCode.UNKNOWN_COLUMN, name, table.name());
      }
    }
    ShowRows rows =
        ShowRows.text(
            "column_name",
            "index_name",
            "count",
            "ndv",
            "num_null",
            "data_size",
            "avg_size_byte",
            "min",
            "max",
            "method",
            "type",
            "trigger",
            "query_times",
            "updated_time");
    if (statistics.isEmpty()) {
      return rows.build();
    }
    TableStatistics analyzed = statistics.get();
    String time = time(analyzed.analyzedAtMillis(), zone);
    for (ColumnMeta column : table.columns()) {
      ColumnStatistics stats = analyzed.column(column.uniqueId());
      boolean wanted =
          only.isEmpty() || only.stream().anyMatch(name -> name.equalsIgnoreCase(column.name()));
      if (stats == null || !wanted) {
        continue;
      }
      long nonNull = stats.count() - stats.nullCount();
      rows.row(
          column.name(),
          table.name(),
          String.valueOf(stats.count()),
          String.valueOf(stats.ndv()),
          String.valueOf(stats.nullCount()),
          String.valueOf(stats.dataSize()),
          String.valueOf(nonNull == 0 ? 0 : stats.dataSize() / nonNull),
          stats.min(),
          stats.max(),
          "FULL",
          "FUNDAMENTALS",
          analyzed.trigger(),
          "0",
          time);
    }
    return rows.build();
  }

  private static String time(long epochMillis, ZoneId zone) {
    return TIME.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), zone));
  }
}
