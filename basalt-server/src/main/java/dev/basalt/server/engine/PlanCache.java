package dev.basalt.server.engine;

import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.sql.planner.PlanParameters;
import dev.basalt.sql.planner.PlannedQuery;
import dev.basalt.sql.planner.VariableResolver;
import dev.basalt.sql.schema.TableDescriptor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans of queries, made once per statement text and current database and reused by every execution
 * of every session (docs/architecture.md, "Plan cache"): a server-side prepared statement binds its
 * parameter values into the cached plan ({@link PlanParameters#bind}), a text query sent again runs
 * its cached plan, instead of parsing, validating and optimizing the text again.
 *
 * <p>A cached plan stays valid while every table it reads is still the same table (same id under
 * the same name) at the same schema version ({@link TableMeta#schemaVersion}, raised by every
 * ALTER): a DROP and CREATE of the same name, ADD/DROP/MODIFY COLUMN or a rename makes the next
 * execution plan again; so does any change to any view ({@link Catalog#viewsVersion}), since a plan
 * holds the expansion of the views it reads (their base tables are among the tables it reads). New
 * data never does: scans take their snapshot at execution. Access is not part of the plan: the
 * caller checks the session's privileges on the plan's tables at every execution, so a GRANT or
 * REVOKE takes effect at once.
 *
 * <p>A plan that read system variables ({@code SELECT @@session.transaction_read_only}, which
 * Connector/J sends before every batch) holds their values as literals: it is reused only while
 * every variable it read still has the value it was planned with in the executing session ({@link
 * #entry(String, String, TemplatePlanner, VariableResolver)}), and planned again otherwise.
 *
 * <p>Statements whose plan cannot be reused (not a query, a placeholder outside a comparison, a
 * reference to a user variable or to a session function, a planning error) are remembered as such,
 * so they are not planned twice per execution; they run as before, with their literals in the text.
 *
 * <p>Thread safe and lock free on lookups (a {@link ConcurrentHashMap}); two sessions that miss at
 * once may both plan, and the last one's plan is kept. Bounded: past {@link #MAX_ENTRIES} entries,
 * arbitrary entries are dropped; texts longer than {@link #MAX_TEXT_LENGTH} characters are not
 * cached (callers plan them each time), which bounds the memory plans hold.
 */
final class PlanCache {
  private static final Logger LOG = LoggerFactory.getLogger(PlanCache.class);

  static final int MAX_ENTRIES = 1024;

  static final int MAX_TEXT_LENGTH = 4096;

  /** Plans a statement text with its placeholders; null when the plan must not be shared. */
  @FunctionalInterface
  interface TemplatePlanner {
    /**
     * @param variableReads where the planner adds each system variable it resolved, with the value
     *     the plan holds; the plan may then be shared while those values stay the same
     */
    PlannedQuery plan(String sql, List<VariableRead> variableReads);
  }

  /** A system variable ({@code @@name}, {@code @@global.name}) a plan read, with its value. */
  record VariableRead(String name, boolean global, Object value) {}

  private record Key(String sql, String database) {}

  /** The version of one table a plan was made against. */
  record TableVersion(String database, String name, long id, int schemaVersion) {}

  /**
   * A planning outcome: the reusable plan, or null parameters for "not reusable"; its short-circuit
   * form when it is a point query ({@link PointQuery#of}), else null.
   */
  record Entry(
      PlanParameters parameters,
      PointQuery pointQuery,
      List<TableVersion> tables,
      long viewsVersion,
      List<VariableRead> variables) {}

  private static final Entry NOT_REUSABLE = new Entry(null, null, List.of(), -1, List.of());

  private final Catalog catalog;
  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();

  PlanCache(Catalog catalog) {
    this.catalog = catalog;
  }

  /**
   * The reusable plan of {@code sql} in {@code database}, planned by {@code planner} on a miss or
   * when the cached plan is stale; null when the statement's plan cannot be reused.
   */
  PlanParameters plan(
      String sql, String database, TemplatePlanner planner, VariableResolver session) {
    return entry(sql, database, planner, session).parameters();
  }

  /**
   * As {@link #plan}, with the plan's short-circuit form.
   *
   * @param session the executing session's variables: a plan that read system variables is reused
   *     only while they have the values it was planned with
   */
  Entry entry(String sql, String database, TemplatePlanner planner, VariableResolver session) {
    Key key = new Key(sql, database == null ? "" : database);
    Entry entry = entries.get(key);
    if (entry != null && isCurrent(entry) && sameVariables(entry, session)) {
      return entry;
    }
    entry = planEntry(sql, planner);
    if (entries.size() >= MAX_ENTRIES) {
      evictSome();
    }
    entries.put(key, entry);
    return entry;
  }

  private Entry planEntry(String sql, TemplatePlanner planner) {
    // Read before planning: a view changed while planning makes the next execution plan again.
    long viewsVersion = catalog.viewsVersion();
    PlannedQuery plan;
    List<VariableRead> variableReads = new ArrayList<>();
    try {
      plan = planner.plan(sql, variableReads);
    } catch (RuntimeException | StackOverflowError notPlannable) {
      // The statement runs with its literals and reports its own error there.
      return NOT_REUSABLE;
    }
    PlanParameters parameters = plan == null ? null : PlanParameters.of(plan);
    if (parameters == null) {
      return NOT_REUSABLE;
    }
    List<TableVersion> tables = new ArrayList<>();
    for (TableDescriptor table : parameters.tablesRead()) {
      if (table.handle() instanceof TableMeta meta) {
        tables.add(
            new TableVersion(table.database(), meta.name(), meta.id(), meta.schemaVersion()));
      }
    }
    return new Entry(
        parameters,
        pointQuery(parameters),
        List.copyOf(tables),
        viewsVersion,
        List.copyOf(variableReads));
  }

  /** The plan's short-circuit form; null when it has none or recognizing it failed (a bug). */
  private static PointQuery pointQuery(PlanParameters parameters) {
    try {
      return PointQuery.of(parameters);
    } catch (RuntimeException unexpected) {
      // The general path answers every statement; a recognizer bug must not fail a statement.
      LOG.warn("cannot recognize a point query in a cached plan", unexpected);
      return null;
    }
  }

  private boolean isCurrent(Entry entry) {
    if (entry.viewsVersion() >= 0 && entry.viewsVersion() != catalog.viewsVersion()) {
      // Any view changed (created, replaced, dropped): the plan may have expanded it, or a name
      // it resolved to a table may now be a view.
      return false;
    }
    for (TableVersion table : entry.tables()) {
      Optional<TableMeta> current = catalog.table(table.database(), table.name());
      if (current.isEmpty()
          || current.get().id() != table.id()
          || current.get().schemaVersion() != table.schemaVersion()) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameVariables(Entry entry, VariableResolver session) {
    for (VariableRead read : entry.variables()) {
      Object current;
      try {
        current = session.systemVariable(read.name(), read.global());
      } catch (RuntimeException unknown) {
        return false;
      }
      if (!Objects.equals(current, read.value())) {
        return false;
      }
    }
    return true;
  }

  private void evictSome() {
    Iterator<Key> keys = entries.keySet().iterator();
    while (entries.size() >= MAX_ENTRIES * 3 / 4 && keys.hasNext()) {
      keys.next();
      keys.remove();
    }
  }
}
