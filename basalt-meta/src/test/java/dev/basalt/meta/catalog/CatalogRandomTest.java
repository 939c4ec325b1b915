package dev.basalt.meta.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.type.DataType;
import dev.basalt.meta.store.JdbcMetaStore;
import dev.basalt.meta.store.MetaStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seeded random DDL and loads, checked against a plain in-memory model, with restarts. */
class CatalogRandomTest {
  @TempDir Path directory;

  /** What the model remembers of a table. */
  static final class ModelTable {
    List<String> columns = new ArrayList<>(List.of("k", "v"));
    int buckets;
    int partitions;
    long rows;

    /** partition index → visible version. */
    List<Long> versions = new ArrayList<>();

    List<String> segments = new ArrayList<>();
  }

  @Test
  void randomOperationsMatchModel() {
    for (long seed = 1; seed <= 3; seed++) {
      run(seed);
    }
  }

  private void run(long seed) {
    RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    Path file = directory.resolve("catalog-" + seed + ".db");
    MetaStore store = JdbcMetaStore.openSqlite(file);
    Catalog liveCatalog = Catalog.open(store);
    Map<String, Map<String, ModelTable>> model = new TreeMap<>();
    List<String> usedLabels = new ArrayList<>();
    for (int step = 0; step < 150; step++) {
      String description = "seed " + seed + " step " + step;
      Catalog catalog = liveCatalog;
      String db = "db" + random.nextInt(3);
      String table = "t" + random.nextInt(4);
      int operation = random.nextInt(10);
      boolean dbExists = model.containsKey(db);
      ModelTable current = dbExists ? model.get(db).get(table) : null;
      switch (operation) {
        case 0 -> {
          if (dbExists) {
            assertThatThrownBy(() -> catalog.createDatabase(db, false))
                .as(description)
                .isInstanceOf(BasaltException.class);
          } else {
            catalog.createDatabase(db, false);
            model.put(db, new TreeMap<>());
          }
        }
        case 1 -> {
          if (random.nextInt(4) == 0) {
            catalog.dropDatabase(db, true);
            model.remove(db);
          }
        }
        case 2, 3 -> {
          if (!dbExists) {
            assertThatThrownBy(
                    () -> catalog.createTable(db, CatalogTest.duplicateTable(table, 1), false))
                .as(description)
                .isInstanceOf(BasaltException.class);
          } else if (current == null) {
            ModelTable created = new ModelTable();
            created.buckets = 1 + random.nextInt(3);
            created.partitions = 1 + random.nextInt(3);
            catalog.createTable(db, rangeTable(table, created.buckets, created.partitions), false);
            for (int p = 0; p < created.partitions; p++) {
              created.versions.add(1L);
            }
            model.get(db).put(table, created);
          }
        }
        case 4 -> {
          if (current != null && random.nextBoolean()) {
            catalog.dropTable(db, table, false);
            model.get(db).remove(table);
          }
        }
        case 5 -> {
          if (current != null) {
            String newName = "t" + random.nextInt(4);
            if (model.get(db).containsKey(newName)) {
              assertThatThrownBy(() -> catalog.renameTable(db, table, newName))
                  .as(description)
                  .isInstanceOf(BasaltException.class);
            } else {
              catalog.renameTable(db, table, newName);
              model.get(db).put(newName, model.get(db).remove(table));
            }
          }
        }
        case 6 -> {
          if (current != null) {
            if (current.columns.size() > 2 && random.nextBoolean()) {
              String column = current.columns.get(2 + random.nextInt(current.columns.size() - 2));
              catalog.dropColumn(db, table, column);
              current.columns.remove(column);
            } else {
              String column = "c" + step;
              catalog.addColumn(
                  db, table, ColumnMeta.of(column, DataType.BIGINT), ColumnPosition.DEFAULT);
              current.columns.add(column);
            }
          }
        }
        case 7 -> {
          if (current != null) {
            List<String> paths = catalog.truncateTable(db, table);
            assertThat(paths).as(description).containsExactlyInAnyOrderElementsOf(current.segments);
            current.segments.clear();
            current.rows = 0;
            current.versions.replaceAll(v -> 1L);
          }
        }
        case 8, 9 -> {
          if (current != null) {
            TableMeta meta = catalog.table(db, table).orElseThrow();
            Map<Long, List<SegmentFile>> segments = new HashMap<>();
            long rows = 0;
            boolean[] touched = new boolean[meta.partitions().size()];
            for (int p = 0; p < meta.partitions().size(); p++) {
              for (long tablet : meta.partitions().get(p).tabletIds()) {
                if (random.nextInt(3) == 0) {
                  int count = 1 + random.nextInt(100);
                  String path = "seg_" + catalog.allocateId();
                  segments.put(tablet, List.of(new SegmentFile(path, count, count * 10L)));
                  rows += count;
                  touched[p] = true;
                  current.segments.add(path);
                }
              }
            }
            boolean reuse = !usedLabels.isEmpty() && random.nextInt(5) == 0;
            String label =
                reuse ? usedLabels.get(random.nextInt(usedLabels.size())) : "label_" + step;
            long expectedRows = rows;
            if (reuse && catalog.label(meta.databaseId(), label).isPresent()) {
              assertThatThrownBy(() -> catalog.commitLoad(meta.id(), label, segments, expectedRows))
                  .as(description)
                  .isInstanceOf(BasaltException.class);
              segments
                  .values()
                  .forEach(list -> list.forEach(s -> current.segments.remove(s.path())));
            } else {
              catalog.commitLoad(meta.id(), label, segments, rows);
              usedLabels.add(label);
              current.rows += rows;
              for (int p = 0; p < touched.length; p++) {
                if (touched[p]) {
                  current.versions.set(p, current.versions.get(p) + 1);
                }
              }
            }
          }
        }
        default -> throw new IllegalStateException();
      }
      if (random.nextInt(15) == 0) {
        store.close();
        store = JdbcMetaStore.openSqlite(file);
        liveCatalog = Catalog.open(store);
      }
      check(liveCatalog, model, description);
    }
    store.close();
    store = JdbcMetaStore.openSqlite(file);
    check(Catalog.open(store), model, "seed " + seed + " final restart");
    store.close();
  }

  private static void check(
      Catalog catalog, Map<String, Map<String, ModelTable>> model, String description) {
    assertThat(catalog.databases())
        .as(description)
        .extracting(DatabaseMeta::name)
        .containsExactlyElementsOf(model.keySet());
    for (Map.Entry<String, Map<String, ModelTable>> db : model.entrySet()) {
      assertThat(catalog.tables(db.getKey()))
          .as(description)
          .extracting(TableMeta::name)
          .containsExactlyElementsOf(db.getValue().keySet());
      for (Map.Entry<String, ModelTable> table : db.getValue().entrySet()) {
        TableMeta meta = catalog.table(db.getKey(), table.getKey()).orElseThrow();
        ModelTable expected = table.getValue();
        assertThat(meta.columns())
            .as(description)
            .extracting(ColumnMeta::name)
            .containsExactlyElementsOf(expected.columns);
        assertThat(meta.columns())
            .as(description)
            .extracting(ColumnMeta::uniqueId)
            .doesNotHaveDuplicates();
        TableSnapshot snapshot = catalog.snapshot(meta.id());
        assertThat(snapshot.rowCount()).as(description).isEqualTo(expected.rows);
        assertThat(snapshot.partitions())
            .as(description)
            .extracting(TableSnapshot.PartitionSnapshot::visibleVersion)
            .containsExactlyElementsOf(expected.versions);
        for (TableSnapshot.PartitionSnapshot partition : snapshot.partitions()) {
          assertThat(partition.rowsets()).as(description).hasSize(expected.buckets);
        }
      }
    }
  }

  private static TableMeta rangeTable(String name, int buckets, int partitionCount) {
    ColumnMeta key =
        new ColumnMeta(
            0, "k", DataType.INT, true, true, AggregationType.NONE, DefaultValue.NONE, "", false);
    List<PartitionMeta> partitions = new ArrayList<>();
    for (int p = 0; p < partitionCount; p++) {
      partitions.add(
          PartitionMeta.range(
              "p" + p,
              p == 0 ? List.of() : List.of(String.valueOf(p * 10)),
              List.of(String.valueOf((p + 1) * 10))));
    }
    return TableMeta.definition(
        name,
        KeysType.DUP_KEYS,
        List.of("k"),
        List.of(key, ColumnMeta.of("v", DataType.STRING)),
        new Partitioning(PartitionKind.RANGE, List.of("k")),
        partitions,
        new Distribution(DistributionKind.HASH, List.of("k"), buckets, false),
        Map.of("replication_num", "1"),
        "a table");
  }
}
