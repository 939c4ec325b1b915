package dev.basalt.meta.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.type.DataType;
import dev.basalt.meta.catalog.AggregationType;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.DefaultValue;
import dev.basalt.meta.catalog.Distribution;
import dev.basalt.meta.catalog.DistributionKind;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.PartitionKind;
import dev.basalt.meta.catalog.PartitionMeta;
import dev.basalt.meta.catalog.Partitioning;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.store.JdbcMetaStore;
import dev.basalt.meta.store.MetaStore;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dynamic partitions created and dropped as a controllable clock moves. */
class DynamicPartitionsTest {
  @TempDir Path directory;

  private MetaStore store;
  private Catalog catalog;
  private final AtomicLong now = new AtomicLong();

  @BeforeEach
  void open() {
    store = JdbcMetaStore.openSqlite(directory.resolve("catalog.db"));
    catalog = Catalog.open(store, now::get);
    catalog.createDatabase("db", false);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static long at(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  private TableMeta create(String name, DataType type, Map<String, String> dynamic) {
    ColumnMeta key =
        new ColumnMeta(
            0, "dt", type, false, true, AggregationType.NONE, DefaultValue.NONE, "", false);
    Map<String, String> properties = new HashMap<>();
    properties.put("dynamic_partition.enable", "true");
    properties.putAll(dynamic);
    return catalog.createTable(
        "db",
        TableMeta.definition(
            name,
            KeysType.DUP_KEYS,
            List.of("dt"),
            List.of(key, ColumnMeta.of("v", DataType.INT)),
            new Partitioning(PartitionKind.RANGE, List.of("dt")),
            List.of(),
            new Distribution(DistributionKind.HASH, List.of("dt"), 2, false),
            properties,
            ""),
        false);
  }

  private List<String> names(String table) {
    return catalog.table("db", table).orElseThrow().partitions().stream()
        .map(PartitionMeta::name)
        .sorted()
        .toList();
  }

  @Test
  void createsAheadAndDropsBehindAsTimePasses() {
    now.set(at("2024-01-10T12:30:00Z"));
    TableMeta table =
        create(
            "daily",
            DataType.DATE,
            Map.of(
                "dynamic_partition.time_unit", "DAY",
                "dynamic_partition.start", "-2",
                "dynamic_partition.end", "2",
                "dynamic_partition.prefix", "p",
                "dynamic_partition.buckets", "3"));
    DynamicPartitions partitions = new DynamicPartitions(catalog, now::get, ZoneOffset.UTC, 1_000);
    assertThat(partitions.apply("db", table))
        .containsExactly("+p20240110", "+p20240111", "+p20240112");
    PartitionMeta first =
        catalog.table("db", "daily").orElseThrow().partition("p20240110").orElseThrow();
    assertThat(first.lowerBound()).containsExactly("2024-01-10");
    assertThat(first.upperBound()).containsExactly("2024-01-11");
    assertThat(first.tabletIds()).hasSize(3);
    // Nothing changes within the same day.
    assertThat(partitions.apply("db", catalog.table("db", "daily").orElseThrow())).isEmpty();

    now.set(at("2024-01-13T00:00:01Z"));
    partitions.applyAll();
    // Kept from 2024-01-11 (two days back): p20240110 ends there and is dropped.
    assertThat(names("daily"))
        .containsExactly("p20240111", "p20240112", "p20240113", "p20240114", "p20240115");

    now.set(at("2024-02-01T00:00:00Z"));
    partitions.applyAll();
    assertThat(names("daily")).containsExactly("p20240201", "p20240202", "p20240203");
  }

  @Test
  void historyWeeksMonthsAndDatetimeHours() {
    now.set(at("2024-03-15T10:20:00Z"));
    DynamicPartitions partitions = new DynamicPartitions(catalog, now::get, ZoneOffset.UTC, 1_000);
    partitions.apply(
        "db",
        create(
            "monthly",
            DataType.DATE,
            Map.of(
                "dynamic_partition.time_unit", "MONTH",
                "dynamic_partition.start", "-2",
                "dynamic_partition.end", "1",
                "dynamic_partition.prefix", "m",
                "dynamic_partition.create_history_partition", "true")));
    assertThat(names("monthly")).containsExactly("m202401", "m202402", "m202403", "m202404");
    partitions.apply(
        "db",
        create(
            "weekly",
            DataType.DATE,
            Map.of(
                "dynamic_partition.time_unit", "WEEK",
                "dynamic_partition.end", "1",
                "dynamic_partition.prefix", "w")));
    assertThat(names("weekly")).containsExactly("w2024_11", "w2024_12");
    assertThat(
            catalog
                .table("db", "weekly")
                .orElseThrow()
                .partition("w2024_11")
                .orElseThrow()
                .lowerBound())
        .containsExactly("2024-03-11");
    partitions.apply(
        "db",
        create(
            "hourly",
            DataType.DATETIME,
            Map.of(
                "dynamic_partition.time_unit", "HOUR",
                "dynamic_partition.end", "1",
                "dynamic_partition.prefix", "h")));
    PartitionMeta hour =
        catalog.table("db", "hourly").orElseThrow().partition("h2024031510").orElseThrow();
    assertThat(hour.lowerBound()).containsExactly("2024-03-15 10:00:00");
    assertThat(hour.upperBound()).containsExactly("2024-03-15 11:00:00");
    assertThat(names("hourly")).containsExactly("h2024031510", "h2024031511");
  }

  @Test
  void leavesOverlappingPartitionsAloneAndRejectsBadSettings() {
    now.set(at("2024-01-10T00:00:00Z"));
    TableMeta table =
        create(
            "mixed",
            DataType.DATE,
            Map.of(
                "dynamic_partition.time_unit", "DAY",
                "dynamic_partition.end", "1",
                "dynamic_partition.prefix", "p"));
    catalog.addPartition(
        "db",
        "mixed",
        PartitionMeta.range("manual", List.of("2024-01-10"), List.of("2024-01-20")),
        0);
    new DynamicPartitions(catalog, now::get, ZoneOffset.UTC, 1_000)
        .apply("db", catalog.table("db", table.name()).orElseThrow());
    assertThat(names("mixed")).containsExactly("manual");

    Partitioning range = new Partitioning(PartitionKind.RANGE, List.of("dt"));
    assertThatThrownBy(
            () ->
                DynamicPartitionSpec.of(
                    Map.of(
                        "dynamic_partition.enable", "true",
                        "dynamic_partition.time_unit", "DAY",
                        "dynamic_partition.prefix", "p"),
                    range,
                    DataType.DATE))
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("Must assign dynamic_partition.end properties");
    assertThatThrownBy(
            () ->
                DynamicPartitionSpec.of(
                    Map.of(
                        "dynamic_partition.enable", "true",
                        "dynamic_partition.time_unit", "HOUR",
                        "dynamic_partition.end", "3",
                        "dynamic_partition.prefix", "p"),
                    range,
                    DataType.DATE))
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("DATETIME");
    assertThat(
            DynamicPartitionSpec.of(
                Map.of("dynamic_partition.enable", "false"), range, DataType.DATE))
        .isEmpty();
  }
}
