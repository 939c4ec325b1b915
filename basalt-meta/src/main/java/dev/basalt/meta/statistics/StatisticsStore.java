package dev.basalt.meta.statistics;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.meta.store.KeyValue;
import dev.basalt.meta.store.MetaStore;
import dev.basalt.meta.store.WriteBatch;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest {@link TableStatistics} of each table, kept in the {@link MetaStore} under {@code
 * statistics/<tableId>} (one JSON document per table, replaced by each analysis) and cached in
 * memory. Statistics are advisory: they only steer the planner, so they are written outside the
 * catalog's versioned commits, and a table's entry outliving the table does no harm.
 *
 * <p>Thread safe.
 */
public final class StatisticsStore {
  private static final String PREFIX = "statistics/";
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final MetaStore store;
  private final Map<Long, TableStatistics> byTable = new ConcurrentHashMap<>();

  private StatisticsStore(MetaStore store) {
    this.store = store;
  }

  /** Loads every table's statistics from {@code store}. */
  public static StatisticsStore open(MetaStore store) {
    StatisticsStore statistics = new StatisticsStore(store);
    for (KeyValue entry : store.scan(PREFIX)) {
      TableStatistics table = decode(entry);
      statistics.byTable.put(table.tableId(), table);
    }
    return statistics;
  }

  /** The table's latest statistics, if it was ever analyzed. */
  public Optional<TableStatistics> get(long tableId) {
    return Optional.ofNullable(byTable.get(tableId));
  }

  /** Stores {@code statistics}, replacing the table's earlier ones. */
  public void put(TableStatistics statistics) {
    byte[] json;
    try {
      json = MAPPER.writeValueAsBytes(statistics);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the statistics of a table", e);
    }
    store.commit(new WriteBatch().put(PREFIX + statistics.tableId(), json));
    byTable.put(statistics.tableId(), statistics);
  }

  /** Forgets the table's statistics (DROP TABLE, TRUNCATE). */
  public void remove(long tableId) {
    if (byTable.remove(tableId) != null) {
      store.commit(new WriteBatch().delete(PREFIX + tableId));
    }
  }

  private static TableStatistics decode(KeyValue entry) {
    try {
      return MAPPER.readValue(entry.value(), TableStatistics.class);
    } catch (IOException e) {
      throw new BasaltException(
          e, ErrorCode.STORAGE_CORRUPTION, "metadata entry " + entry.key(), e.getMessage());
    }
  }
}
