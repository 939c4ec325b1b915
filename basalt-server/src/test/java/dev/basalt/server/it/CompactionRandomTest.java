package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.load.compaction.CompactionPolicy;
import dev.basalt.load.compaction.MaintenanceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Seeded random loads into one table per model (DUPLICATE, AGGREGATE with every aggregation,
 * merge-on-write and merge-on-read UNIQUE; DELETE on the merge-on-write one), through JDBC, while
 * background compaction runs after every commit with an aggressive policy (2 small rowsets trigger
 * it) and the garbage collector sweeps every 20 ms with no grace period, so files are compacted and
 * deleted while queries run. After every step the table must equal a simple in-test reference
 * model; after restarts too. At the end the tablets must hold few rowsets and {@code data/} only
 * the files the catalog references.
 */
class CompactionRandomTest {
  private static final long SEED = 20261207L;
  private static final int STEPS = 40;
  private static final int KEY_RANGE = 60;

  /**
   * Compaction after 2 small rowsets, base compaction at 4, a sweep every 20 ms with no grace
   * period, so only the reader and in-flight registries keep files alive. (A sweep that listed
   * {@code data/} after reading the catalog once deleted a segment committed during the sweep;
   * GarbageCollectorTest.aLoadCommittingDuringTheSweepKeepsItsFile.)
   */
  static final MaintenanceConfig AGGRESSIVE =
      new MaintenanceConfig(1, new CompactionPolicy(2, 2, 64L << 20, 4), 0, 20);

  /** One table model: its DDL, how a random load changes the reference, and the expected rows. */
  private abstract static class Model {
    final String name;
    final String ddl;
    final boolean deletes;

    Model(String name, String ddl, boolean deletes) {
      this.name = name;
      this.ddl = ddl;
      this.deletes = deletes;
    }

    abstract void insert(int key, Long number, String text);

    abstract void delete(int low, int high);

    /** The rows as {@code SELECT * ... ORDER BY} every column prints them, sorted. */
    abstract List<String> expected();
  }

  private static final class DuplicateModel extends Model {
    private final List<String> rows = new ArrayList<>();

    DuplicateModel() {
      super(
          "dup",
          "(k INT NOT NULL, n BIGINT, s VARCHAR(20)) DUPLICATE KEY(k)"
              + " DISTRIBUTED BY HASH(k) BUCKETS 2",
          true);
    }

    @Override
    void insert(int key, Long number, String text) {
      rows.add(key + "|" + number + "|" + text);
    }

    @Override
    void delete(int low, int high) {
      rows.removeIf(
          row -> {
            int key = Integer.parseInt(row.substring(0, row.indexOf('|')));
            return key >= low && key <= high;
          });
    }

    @Override
    List<String> expected() {
      return sorted(rows);
    }
  }

  private static final class UniqueModel extends Model {
    private final TreeMap<Integer, String> rows = new TreeMap<>();

    UniqueModel(String name, boolean mergeOnWrite) {
      super(
          name,
          "(k INT NOT NULL, n BIGINT, s VARCHAR(20)) UNIQUE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2"
              + (mergeOnWrite
                  ? ""
                  : " PROPERTIES (\"enable_unique_key_merge_on_write\" = \"false\")"),
          mergeOnWrite);
    }

    @Override
    void insert(int key, Long number, String text) {
      rows.put(key, key + "|" + number + "|" + text);
    }

    @Override
    void delete(int low, int high) {
      rows.subMap(low, true, high, true).clear();
    }

    @Override
    List<String> expected() {
      return sorted(rows.values());
    }
  }

  private static final class AggregateModel extends Model {
    /** key → total, low, high, last, kept. */
    private final TreeMap<Integer, Object[]> rows = new TreeMap<>();

    AggregateModel() {
      super(
          "agg",
          "(k INT NOT NULL, total BIGINT SUM, low BIGINT MIN, high BIGINT MAX,"
              + " last VARCHAR(20) REPLACE, kept VARCHAR(20) REPLACE_IF_NOT_NULL)"
              + " AGGREGATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2",
          true);
    }

    @Override
    void insert(int key, Long number, String text) {
      Object[] row = rows.get(key);
      if (row == null) {
        rows.put(key, new Object[] {number, number, number, text, text});
        return;
      }
      if (number != null) {
        row[0] = row[0] == null ? number : (Long) row[0] + number;
        row[1] = row[1] == null ? number : Math.min((Long) row[1], number);
        row[2] = row[2] == null ? number : Math.max((Long) row[2], number);
      }
      row[3] = text;
      if (text != null) {
        row[4] = text;
      }
    }

    @Override
    void delete(int low, int high) {
      rows.subMap(low, true, high, true).clear();
    }

    @Override
    List<String> expected() {
      List<String> result = new ArrayList<>();
      for (Map.Entry<Integer, Object[]> entry : rows.entrySet()) {
        Object[] row = entry.getValue();
        result.add(
            entry.getKey()
                + "|"
                + row[0]
                + "|"
                + row[1]
                + "|"
                + row[2]
                + "|"
                + row[3]
                + "|"
                + row[4]);
      }
      return sorted(result);
    }
  }

  @Test
  void everyModelMatchesItsReferenceWhileCompactionRuns() throws Exception {
    List<Model> models =
        List.of(
            new DuplicateModel(),
            new AggregateModel(),
            new UniqueModel("mow", true),
            new UniqueModel("mor", false));
    Random random = new Random(SEED);
    try (TestServer server = TestServer.start(8 * 1024, AGGRESSIVE)) {
      try (Connection connection = connect(server)) {
        execute(connection, "CREATE DATABASE compaction_random");
        for (Model model : models) {
          execute(connection, "CREATE TABLE compaction_random." + model.name + " " + model.ddl);
        }
      }
      for (int step = 0; step < STEPS; step++) {
        try (Connection connection = connect(server)) {
          for (Model model : models) {
            String statement = randomStatement(random, model, step);
            execute(connection, statement);
            check(connection, model, "seed " + SEED + ", step " + step + ": " + statement);
          }
        }
        if (step == STEPS / 2) {
          server.restart();
          try (Connection connection = connect(server)) {
            for (Model model : models) {
              check(connection, model, "seed " + SEED + ", after restart at step " + step);
            }
          }
        }
      }
      try (Connection connection = connect(server)) {
        for (Model model : models) {
          List<Long> versionCounts = versionCounts(connection, model.name);
          assertThat(versionCounts)
              .as(
                  "rowsets per tablet of %s after %d loads (compaction keeps up)",
                  model.name, STEPS)
              .allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(8));
          execute(connection, "ADMIN COMPACT TABLE compaction_random." + model.name);
          assertThat(versionCounts(connection, model.name))
              .as("rowsets per tablet of %s after ADMIN COMPACT TABLE", model.name)
              .allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(1));
          check(connection, model, "seed " + SEED + ", after ADMIN COMPACT TABLE");
        }
      }
      server.restart();
      try (Connection connection = connect(server)) {
        for (Model model : models) {
          check(connection, model, "seed " + SEED + ", after the final restart");
        }
        // Nothing reads now: the sweeps delete every file the catalog no longer references.
        long deadline = System.nanoTime() + 20_000_000_000L;
        long files = segmentFiles(server.dataDirectory());
        long referenced = referencedSegments(connection);
        while (files != referenced && System.nanoTime() < deadline) {
          Thread.sleep(50);
          files = segmentFiles(server.dataDirectory());
        }
        assertThat(files).as("segment files on disk = segments referenced").isEqualTo(referenced);
      }
    }
  }

  private static String randomStatement(Random random, Model model, int step) {
    String table = "compaction_random." + model.name;
    if (model.deletes && random.nextInt(5) == 0) {
      int low = random.nextInt(KEY_RANGE);
      int high = low + random.nextInt(15);
      model.delete(low, high);
      return "DELETE FROM " + table + " WHERE k BETWEEN " + low + " AND " + high;
    }
    int rows = 1 + random.nextInt(random.nextInt(8) == 0 ? 400 : 12);
    StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES ");
    for (int row = 0; row < rows; row++) {
      int key = random.nextInt(KEY_RANGE);
      Long number = random.nextInt(6) == 0 ? null : (long) random.nextInt(1000) - 300;
      String text = random.nextInt(6) == 0 ? null : "s" + step + "_" + row;
      model.insert(key, number, text);
      sql.append(row == 0 ? "(" : ", (").append(key).append(", ").append(number);
      String quoted = text == null ? "NULL" : "'" + text + "'";
      if (model instanceof AggregateModel) {
        sql.append(", ").append(number).append(", ").append(number);
        sql.append(", ").append(quoted).append(", ").append(quoted);
      } else {
        sql.append(", ").append(quoted);
      }
      sql.append(')');
    }
    return sql.toString();
  }

  private static void check(Connection connection, Model model, String context)
      throws SQLException {
    List<String> actual = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT * FROM compaction_random." + model.name)) {
      int columns = rows.getMetaData().getColumnCount();
      while (rows.next()) {
        StringBuilder row = new StringBuilder();
        for (int c = 1; c <= columns; c++) {
          row.append(c == 1 ? "" : "|").append(rows.getString(c));
        }
        actual.add(row.toString());
      }
    }
    assertThat(sorted(actual)).as("%s: %s", model.name, context).isEqualTo(model.expected());
  }

  /** {@code VersionCount} of every tablet in {@code SHOW TABLETS}. */
  static List<Long> versionCounts(Connection connection, String table) throws SQLException {
    List<Long> counts = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SHOW TABLETS FROM compaction_random." + table)) {
      while (rows.next()) {
        counts.add(rows.getLong("VersionCount"));
      }
    }
    return counts;
  }

  private static long referencedSegments(Connection connection) throws SQLException {
    long total = 0;
    try (Statement statement = connection.createStatement();
        ResultSet tables = statement.executeQuery("SHOW TABLES FROM compaction_random")) {
      List<String> names = new ArrayList<>();
      while (tables.next()) {
        names.add(tables.getString(1));
      }
      for (String name : names) {
        try (Statement show = connection.createStatement();
            ResultSet rows = show.executeQuery("SHOW TABLETS FROM compaction_random." + name)) {
          while (rows.next()) {
            // After ADMIN COMPACT TABLE every rowset is one compaction output: one segment.
            total += rows.getLong("VersionCount");
          }
        }
      }
    }
    return total;
  }

  static long segmentFiles(Path dataDirectory) throws IOException {
    Path data = dataDirectory.resolve("data");
    if (!Files.exists(data)) {
      return 0;
    }
    // The collector deletes files and directories while this walks (no grace period here).
    return DataDirectoryWalk.read(
        data, files -> files.filter(path -> path.toString().endsWith(".bsg")).count());
  }

  private static List<String> sorted(java.util.Collection<String> rows) {
    List<String> copy = new ArrayList<>(rows);
    Collections.sort(copy);
    return copy;
  }

  static Connection connect(TestServer server) throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl("", ""), TestServer.ROOT_USER, "");
  }

  static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
