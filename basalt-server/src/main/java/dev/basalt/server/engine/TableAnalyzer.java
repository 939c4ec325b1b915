package dev.basalt.server.engine;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.control.CancellationToken;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.operator.Operator;
import dev.basalt.load.gc.ReaderRegistry;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.statistics.ColumnStatistics;
import dev.basalt.meta.statistics.ColumnStatisticsCollector;
import dev.basalt.meta.statistics.TableStatistics;
import dev.basalt.sql.parser.Statement;
import dev.basalt.sql.schema.ScanProvider;
import dev.basalt.sql.schema.TableDescriptor;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code ANALYZE TABLE}: reads every row of a table at one snapshot (through the same scan as a
 * query, so AGGREGATE and merge-on-read tables are analyzed after their merge) and stores its row
 * count and per-column NDV, NULL count, min, max and data size in the catalog's {@link
 * dev.basalt.meta.statistics.StatisticsStore}. Memory is one 16 KiB sketch per column; the scan
 * streams. See docs/statistics.md.
 *
 * <p>Thread safe: each call opens its own scan.
 */
final class TableAnalyzer {
  private final Catalog catalog;
  private final Supplier<ScanProvider> scans;
  private final ReaderRegistry readers;

  TableAnalyzer(Catalog catalog, Supplier<ScanProvider> scans, ReaderRegistry readers) {
    this.catalog = catalog;
    this.scans = scans;
    this.readers = readers;
  }

  /**
   * {@code ANALYZE TABLE}: analyzes the named table, unqualified names in {@code currentDatabase}.
   *
   * @throws BasaltException 1046, 1049, 1146 for a missing database or table, 1054 for a column
   */
  TableStatistics execute(
      Statement.Analyze statement, String currentDatabase, CancellationToken cancellation) {
    String database =
        statement.table().database() != null ? statement.table().database() : currentDatabase;
    TableMeta table = catalog.existingTable(database, statement.table().name());
    return analyze(database, table, statement.columns(), TableStatistics.MANUAL, cancellation);
  }

  /**
   * Analyzes {@code columnNames} of the table (all columns when empty) and stores the result,
   * keeping earlier statistics of columns not named.
   *
   * @param trigger {@link TableStatistics#MANUAL} or {@link TableStatistics#SYSTEM}
   * @param cancellation checked before every batch (KILL, query_timeout)
   * @throws BasaltException UNKNOWN_COLUMN for a name the table does not have
   */
  TableStatistics analyze(
      String database,
      TableMeta table,
      List<String> columnNames,
      String trigger,
      CancellationToken cancellation) {
    List<Integer> positions = positions(table, columnNames);
    int[] columns = positions.stream().mapToInt(Integer::intValue).toArray();
    List<ColumnStatisticsCollector> collectors = new ArrayList<>();
    for (int position : columns) {
      ColumnMeta column = table.columns().get(position);
      collectors.add(
          new ColumnStatisticsCollector(column.uniqueId(), column.name(), column.type()));
    }
    TableDescriptor descriptor = CatalogSchemaProvider.describe(database, table, false);
    EvaluationContext context = EvaluationContext.now(ZoneId.systemDefault(), "analyze");
    long rows = 0;
    try (ReaderRegistry.Ticket reading = readers.open();
        Operator scan = scans.get().scan(descriptor, columns, context)) {
      for (Batch batch = scan.next(); batch != null; batch = scan.next()) {
        cancellation.check();
        rows += batch.rowCount();
        for (int i = 0; i < columns.length; i++) {
          collectors.get(i).add(batch.column(i));
        }
      }
    }
    Map<Integer, ColumnStatistics> merged = new LinkedHashMap<>();
    if (!columnNames.isEmpty()) {
      catalog
          .statistics()
          .get(table.id())
          .ifPresent(old -> old.columns().forEach(c -> merged.put(c.columnId(), c)));
    }
    for (ColumnStatisticsCollector collector : collectors) {
      ColumnStatistics result = collector.result();
      merged.put(result.columnId(), result);
    }
    TableStatistics statistics =
        new TableStatistics(
            table.id(), rows, System.currentTimeMillis(), trigger, List.copyOf(merged.values()));
    catalog.statistics().put(statistics);
    return statistics;
  }

  private static List<Integer> positions(TableMeta table, List<String> columnNames) {
    List<Integer> positions = new ArrayList<>();
    if (columnNames.isEmpty()) {
      for (int i = 0; i < table.columns().size(); i++) {
        positions.add(i);
      }
      return positions;
    }
    for (String name : columnNames) {
      int found = -1;
      for (int i = 0; i < table.columns().size(); i++) {
        if (table.columns().get(i).name().equalsIgnoreCase(name)) {
          found = i;
        }
      }
      if (found < 0) {
        throw new BasaltException(ErrorCode.UNKNOWN_COLUMN, name, table.name());
      }
      if (!positions.contains(found)) {
        positions.add(found);
      }
    }
    return positions;
  }
}
