package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Seeded random loads into UNIQUE KEY tables with the model's options — a sequence column
 * (merge-on-write and merge-on-read), partial column updates, replace-if-not-null (both
 * implementations), with DELETEs and INSERTs naming {@code __DORIS_DELETE_SIGN__} on the
 * merge-on-write tables — compared after every step with a reference model that applies each row in
 * order by Doris's rules, while background compaction runs after every commit ({@link
 * CompactionRandomTest#AGGRESSIVE}) and after restarts. A small load buffer makes loads write
 * several segments per tablet.
 */
class UniqueKeyOptionsRandomTest {
  private static final long SEED = 20261208L;
  private static final int STEPS = 30;
  private static final int KEY_RANGE = 50;
  private static final String DATABASE = "unique_options";

  /** Value columns a, b, c (BIGINT, VARCHAR, BIGINT) after the key k; rows as Object[3]. */
  private enum Kind {
    SEQUENCE,
    PARTIAL,
    REPLACE_IF_NOT_NULL
  }

  private record Table(String name, Kind kind, String ddl, boolean mergeOnWrite) {}

  private static final List<Table> TABLES =
      List.of(
          new Table(
              "mow_seq",
              Kind.SEQUENCE,
              "(k INT NOT NULL, a BIGINT, b VARCHAR(20), c BIGINT) UNIQUE KEY(k)"
                  + " DISTRIBUTED BY HASH(k) BUCKETS 2"
                  + " PROPERTIES (\"function_column.sequence_col\" = \"a\")",
              true),
          new Table(
              "mor_seq",
              Kind.SEQUENCE,
              "(k INT NOT NULL, a BIGINT, b VARCHAR(20), c BIGINT) UNIQUE KEY(k)"
                  + " DISTRIBUTED BY HASH(k) BUCKETS 2"
                  + " PROPERTIES (\"function_column.sequence_col\" = \"a\","
                  + " \"enable_unique_key_merge_on_write\" = \"false\")",
              false),
          new Table(
              "mow_partial",
              Kind.PARTIAL,
              "(k INT NOT NULL, a BIGINT, b VARCHAR(20), c BIGINT) UNIQUE KEY(k)"
                  + " DISTRIBUTED BY HASH(k) BUCKETS 2",
              true),
          new Table(
              "mow_rinn",
              Kind.REPLACE_IF_NOT_NULL,
              "(k INT NOT NULL, a BIGINT, b VARCHAR(20), c BIGINT) UNIQUE KEY(k)"
                  + " DISTRIBUTED BY HASH(k) BUCKETS 2"
                  + " PROPERTIES (\"enable_unique_key_replace_if_not_null\" = \"true\")",
              true),
          new Table(
              "mor_rinn",
              Kind.REPLACE_IF_NOT_NULL,
              "(k INT NOT NULL, a BIGINT, b VARCHAR(20), c BIGINT) UNIQUE KEY(k)"
                  + " DISTRIBUTED BY HASH(k) BUCKETS 2"
                  + " PROPERTIES (\"enable_unique_key_replace_if_not_null\" = \"true\","
                  + " \"enable_unique_key_merge_on_write\" = \"false\")",
              false));

  @Test
  void everyOptionMatchesItsReferenceWhileCompactionRuns() throws Exception {
    Random random = new Random(SEED);
    Map<String, TreeMap<Integer, Object[]>> references = new TreeMap<>();
    try (TestServer server = TestServer.start(8 * 1024, CompactionRandomTest.AGGRESSIVE)) {
      try (Connection connection = CompactionRandomTest.connect(server)) {
        CompactionRandomTest.execute(connection, "CREATE DATABASE " + DATABASE);
        for (Table table : TABLES) {
          CompactionRandomTest.execute(
              connection, "CREATE TABLE " + DATABASE + "." + table.name() + " " + table.ddl());
          references.put(table.name(), new TreeMap<>());
        }
      }
      for (int step = 0; step < STEPS; step++) {
        try (Connection connection = CompactionRandomTest.connect(server)) {
          for (Table table : TABLES) {
            TreeMap<Integer, Object[]> reference = references.get(table.name());
            List<String> statements = randomStatements(random, table, reference, step);
            for (String statement : statements) {
              CompactionRandomTest.execute(connection, statement);
            }
            check(
                connection,
                table,
                reference,
                "seed " + SEED + ", step " + step + ": " + statements);
          }
        }
        if (step == STEPS / 2) {
          server.restart();
          try (Connection connection = CompactionRandomTest.connect(server)) {
            for (Table table : TABLES) {
              check(connection, table, references.get(table.name()), "after restart");
            }
          }
        }
      }
      try (Connection connection = CompactionRandomTest.connect(server)) {
        for (Table table : TABLES) {
          CompactionRandomTest.execute(
              connection, "ADMIN COMPACT TABLE " + DATABASE + "." + table.name());
          check(connection, table, references.get(table.name()), "after ADMIN COMPACT TABLE");
        }
      }
      server.restart();
      try (Connection connection = CompactionRandomTest.connect(server)) {
        for (Table table : TABLES) {
          check(connection, table, references.get(table.name()), "after the final restart");
          // One more load on the compacted, restarted table.
          TreeMap<Integer, Object[]> reference = references.get(table.name());
          for (String statement : randomStatements(random, table, reference, STEPS)) {
            CompactionRandomTest.execute(connection, statement);
          }
          check(connection, table, reference, "a load after the final restart");
        }
      }
    }
  }

  /** Random statements for {@code table}, applied to {@code reference} as the server must. */
  private static List<String> randomStatements(
      Random random, Table table, TreeMap<Integer, Object[]> reference, int step) {
    String name = DATABASE + "." + table.name();
    int choice = random.nextInt(10);
    if (table.mergeOnWrite() && choice == 0 && !reference.isEmpty()) {
      int low = random.nextInt(KEY_RANGE);
      int high = low + random.nextInt(10);
      reference.subMap(low, true, high, true).clear();
      return List.of("DELETE FROM " + name + " WHERE k BETWEEN " + low + " AND " + high);
    }
    if (table.mergeOnWrite() && choice == 1) {
      return List.of(deleteSignInsert(random, table, reference, step));
    }
    boolean partial = table.kind() == Kind.PARTIAL && choice >= 4;
    boolean[] given = {true, true, true};
    if (partial) {
      do {
        for (int c = 0; c < 3; c++) {
          given[c] = random.nextBoolean();
        }
      } while (!given[0] && !given[1] && !given[2]);
    }
    List<String> names = new ArrayList<>(List.of("k"));
    String[] columnNames = {"a", "b", "c"};
    for (int c = 0; c < 3; c++) {
      if (given[c]) {
        names.add(columnNames[c]);
      }
    }
    int rows = 1 + random.nextInt(random.nextInt(6) == 0 ? 300 : 10);
    StringBuilder sql =
        new StringBuilder("INSERT INTO " + name + " (" + String.join(", ", names) + ") VALUES ");
    for (int row = 0; row < rows; row++) {
      int key = random.nextInt(KEY_RANGE);
      Object[] values = new Object[3];
      // Sequence values from a small range, so ties and losing rows are frequent.
      values[0] =
          random.nextInt(7) == 0
              ? null
              : (long) (table.kind() == Kind.SEQUENCE ? random.nextInt(20) : random.nextInt(1000));
      values[1] = random.nextInt(5) == 0 ? null : "s" + step + "_" + row;
      values[2] = random.nextInt(5) == 0 ? null : (long) random.nextInt(1000) - 300;
      sql.append(row == 0 ? "(" : ", (").append(key);
      for (int c = 0; c < 3; c++) {
        if (given[c]) {
          Object value = values[c];
          sql.append(", ")
              .append(value == null ? "NULL" : value instanceof String ? "'" + value + "'" : value);
        }
      }
      sql.append(')');
      apply(table.kind(), reference, key, values, given);
    }
    if (partial) {
      return List.of(
          "SET enable_unique_key_partial_update = true",
          sql.toString(),
          "SET enable_unique_key_partial_update = false");
    }
    return List.of(sql.toString());
  }

  /**
   * An INSERT naming {@code __DORIS_DELETE_SIGN__}: rows with sign 1 delete their key (on a table
   * with a sequence column only if their sequence value is not smaller than the live row's), the
   * others are written; within one load the deletes apply after the writes, in order.
   */
  private static String deleteSignInsert(
      Random random, Table table, TreeMap<Integer, Object[]> reference, int step) {
    int rows = 1 + random.nextInt(12);
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO "
                + DATABASE
                + "."
                + table.name()
                + " (k, a, b, c, __DORIS_DELETE_SIGN__) VALUES ");
    List<Object[]> deleted = new ArrayList<>();
    for (int row = 0; row < rows; row++) {
      int key = random.nextInt(KEY_RANGE);
      boolean delete = random.nextInt(3) == 0;
      Object[] values = {(long) random.nextInt(20), "d" + step + "_" + row, (long) row};
      sql.append(row == 0 ? "(" : ", (").append(key).append(", ").append(values[0]);
      sql.append(", '").append(values[1]).append("', ").append(values[2]);
      sql.append(", ").append(delete ? 1 : 0).append(')');
      if (delete) {
        deleted.add(new Object[] {key, values[0]});
      } else {
        apply(table.kind(), reference, key, values, new boolean[] {true, true, true});
      }
    }
    for (Object[] delete : deleted) {
      int key = (Integer) delete[0];
      Object[] stored = reference.get(key);
      if (table.kind() == Kind.SEQUENCE
          && stored != null
          && stored[0] != null
          && (Long) delete[1] < (Long) stored[0]) {
        continue;
      }
      reference.remove(key);
    }
    return sql.toString();
  }

  /** One row applied by Doris's rules. */
  private static void apply(
      Kind kind, TreeMap<Integer, Object[]> reference, int key, Object[] values, boolean[] given) {
    Object[] stored = reference.get(key);
    switch (kind) {
      case SEQUENCE -> {
        if (stored == null
            || stored[0] == null
            || (values[0] != null && (Long) values[0] >= (Long) stored[0])) {
          reference.put(key, values.clone());
        }
      }
      case PARTIAL -> {
        Object[] result = stored == null ? new Object[3] : stored.clone();
        for (int c = 0; c < 3; c++) {
          if (given[c]) {
            result[c] = values[c];
          }
        }
        reference.put(key, result);
      }
      case REPLACE_IF_NOT_NULL -> {
        Object[] result = stored == null ? values.clone() : stored.clone();
        for (int c = 0; c < 3; c++) {
          if (values[c] != null) {
            result[c] = values[c];
          }
        }
        reference.put(key, result);
      }
    }
  }

  private static void check(
      Connection connection, Table table, TreeMap<Integer, Object[]> reference, String context)
      throws SQLException {
    List<String> expected = new ArrayList<>();
    reference.forEach((key, row) -> expected.add(key + "|" + row[0] + "|" + row[1] + "|" + row[2]));
    List<String> actual = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT k, a, b, c FROM " + DATABASE + "." + table.name() + " ORDER BY k")) {
      while (rows.next()) {
        actual.add(
            rows.getInt(1)
                + "|"
                + rows.getString(2)
                + "|"
                + rows.getString(3)
                + "|"
                + rows.getString(4));
      }
    }
    assertThat(actual).as("%s, seed %d: %s", table.name(), SEED, context).isEqualTo(expected);
    // A point lookup of one stored key and one key never written agrees with the scan.
    if (!reference.isEmpty()) {
      int key = reference.firstKey();
      try (Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "SELECT a, b, c FROM " + DATABASE + "." + table.name() + " WHERE k = " + key)) {
        assertThat(rows.next())
            .as("%s: point lookup of %d, %s", table.name(), key, context)
            .isTrue();
        Object[] row = reference.get(key);
        assertThat(Arrays.asList(rows.getString(1), rows.getString(2), rows.getString(3)))
            .as("%s: point lookup of %d, %s", table.name(), key, context)
            .isEqualTo(
                Arrays.asList(
                    row[0] == null ? null : row[0].toString(),
                    (String) row[1],
                    row[2] == null ? null : row[2].toString()));
      }
    }
  }
}
