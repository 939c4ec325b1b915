package dev.basalt.server.engine;

import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.DatabaseMeta;
import dev.basalt.meta.catalog.TableMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The statements a starting server runs on its own, before its first client, so that the first
 * client's query finds the planner (Calcite's rules and metadata handlers, the parser, the plan
 * cache), the short circuit of primary-key lookups and the scan and aggregate operators loaded and
 * partly compiled (docs/architecture.md, "Start-up"). A cold first query spent about 0.5 s of CPU
 * in planning alone; run on the second core while the first opens the front doors, that time is off
 * the first query's path.
 *
 * <p>The statements read one table of the catalog: a merge-on-write UNIQUE KEY table when there is
 * one (a lookup of one key, planned only, and an aggregate over a hundred rows, run), else any
 * table (the aggregate). They are small whatever the table's size: the lookup is planned but not
 * run (running it would read one tablet's primary-key indexes, which the first client's lookup,
 * most likely of another tablet, would not use), the aggregate stops after a hundred rows. A
 * catalog without tables has nothing to warm.
 */
final class StartupWarmUp {
  private StartupWarmUp() {}

  /**
   * One warm-up statement.
   *
   * @param sql the statement, its names fully qualified
   * @param run whether it runs (its rows read and dropped) or is only planned
   */
  record Statement(String sql, boolean run) {}

  /** The warm-up statements for {@code catalog}'s tables; may be empty. */
  static List<Statement> statements(Catalog catalog) {
    TableMeta chosen = null;
    String chosenDatabase = null;
    for (DatabaseMeta database : catalog.databases()) {
      for (TableMeta table : catalog.tables(database.name())) {
        if (chosen == null || (!chosen.mergeOnWrite() && table.mergeOnWrite())) {
          chosen = table;
          chosenDatabase = database.name();
        }
      }
      if (chosen != null && chosen.mergeOnWrite()) {
        break;
      }
    }
    if (chosen == null || chosen.columns().isEmpty()) {
      return List.of();
    }
    String table = quote(chosenDatabase) + "." + quote(chosen.name());
    String firstColumn = quote(chosen.columns().get(0).name());
    List<Statement> statements = new ArrayList<>(2);
    if (chosen.mergeOnWrite()) {
      pointLookup(chosen, table).ifPresent(sql -> statements.add(new Statement(sql, false)));
    }
    statements.add(
        new Statement(
            "SELECT "
                + firstColumn
                + ", count(*) FROM (SELECT "
                + firstColumn
                + " FROM "
                + table
                + " LIMIT 100) warm_up GROUP BY "
                + firstColumn
                + " ORDER BY "
                + firstColumn,
            true));
    return statements;
  }

  /**
   * {@code SELECT * FROM table WHERE key = literal AND ...}, with a literal of each key column's
   * type, or empty when a key column has a type without a plain literal here.
   */
  private static Optional<String> pointLookup(TableMeta table, String qualifiedName) {
    List<String> conditions = new ArrayList<>();
    for (String keyColumn : table.keyColumns()) {
      Optional<ColumnMeta> column = table.column(keyColumn);
      if (column.isEmpty()) {
        return Optional.empty();
      }
      String literal =
          switch (column.get().type().kind()) {
            case TINYINT, SMALLINT, INT, BIGINT, LARGEINT, DECIMAL -> "0";
            case CHAR, VARCHAR, STRING -> "'warm-up'";
            case DATE -> "'1970-01-01'";
            case DATETIME -> "'1970-01-01 00:00:00'";
            default -> null;
          };
      if (literal == null) {
        return Optional.empty();
      }
      conditions.add(quote(column.get().name()) + " = " + literal);
    }
    return Optional.of(
        "SELECT * FROM " + qualifiedName + " WHERE " + String.join(" AND ", conditions));
  }

  private static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }
}
