package dev.basalt.meta.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.meta.store.JdbcMetaStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatisticsStoreTest {

  @Test
  void statisticsSurviveReopeningAndReplaceEarlierOnes(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("catalog.db");
    ColumnStatistics key = new ColumnStatistics(1, "k", 10, 10, 0, 40, "1", "10", 1.0, 10.0);
    ColumnStatistics name = new ColumnStatistics(2, "s", 10, 3, 2, 24, "a", "c", null, null);
    try (JdbcMetaStore store = JdbcMetaStore.openSqlite(file)) {
      StatisticsStore statistics = StatisticsStore.open(store);
      assertThat(statistics.get(42)).isEmpty();
      statistics.put(new TableStatistics(42, 5, 1000, TableStatistics.SYSTEM, List.of(key)));
      statistics.put(new TableStatistics(42, 10, 2000, TableStatistics.MANUAL, List.of(key, name)));
      statistics.put(new TableStatistics(43, 1, 3000, TableStatistics.MANUAL, List.of()));
      statistics.remove(43);
    }
    try (JdbcMetaStore store = JdbcMetaStore.openSqlite(file)) {
      StatisticsStore statistics = StatisticsStore.open(store);
      TableStatistics table = statistics.get(42).orElseThrow();
      assertThat(table.rowCount()).isEqualTo(10);
      assertThat(table.trigger()).isEqualTo(TableStatistics.MANUAL);
      assertThat(table.column(2)).isEqualTo(name);
      assertThat(table.column(3)).isNull();
      assertThat(statistics.get(43)).isEmpty();
    }
  }
}
