package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.load.compaction.MaintenanceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * ALTER TABLE DROP PARTITION: the partition's rows are invisible to the next statement at once, a
 * query already reading them finishes with them, and the garbage collector deletes its segment
 * files (and their directories) once no reader needs them; the drop survives a restart.
 */
class DropPartitionTest {
  /** No background compaction (file counts stay put); a sweep every 20 ms, no grace period. */
  private static final MaintenanceConfig COLLECT_AT_ONCE =
      new MaintenanceConfig(0, dev.basalt.load.compaction.CompactionPolicy.DEFAULT, 0, 20);

  @Test
  void droppedPartitionDisappearsAndItsFilesAreCollected() throws Exception {
    try (TestServer server = TestServer.start(8 * 1024, COLLECT_AT_ONCE)) {
      try (Connection connection = CompactionRandomTest.connect(server)) {
        CompactionRandomTest.execute(connection, "CREATE DATABASE drop_p");
        CompactionRandomTest.execute(
            connection,
            "CREATE TABLE drop_p.t (k INT NOT NULL, v INT) DUPLICATE KEY(k)"
                + " PARTITION BY RANGE(k) (PARTITION p1 VALUES LESS THAN (100),"
                + " PARTITION p2 VALUES LESS THAN (200)) DISTRIBUTED BY HASH(k) BUCKETS 2");
        for (int load = 0; load < 3; load++) {
          CompactionRandomTest.execute(
              connection,
              "INSERT INTO drop_p.t VALUES ("
                  + load
                  + ", 1), ("
                  + (10 + load)
                  + ", 1), ("
                  + (100 + load)
                  + ", 2), ("
                  + (110 + load)
                  + ", 2)");
        }
        Path table = tableDirectory(server.dataDirectory());
        java.util.Set<String> before = tabletDirectories(table);
        CompactionRandomTest.execute(connection, "ALTER TABLE drop_p.t DROP PARTITION p1");
        assertThat(single(connection, "SELECT COUNT(*) FROM drop_p.t")).isEqualTo(6);
        assertThat(single(connection, "SELECT COUNT(*) FROM drop_p.t WHERE k < 100")).isZero();
        java.util.Set<String> kept = new java.util.HashSet<>();
        try (Statement statement = connection.createStatement();
            ResultSet tablets = statement.executeQuery("SHOW TABLETS FROM drop_p.t")) {
          while (tablets.next()) {
            kept.add(tablets.getString("TabletId"));
          }
        }
        assertThat(kept).hasSize(2);
        assertThat(before).as("p1's tablets have files").anyMatch(name -> !kept.contains(name));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!kept.containsAll(tabletDirectories(table)) && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(kept).containsAll(tabletDirectories(table));
        assertThat(tabletDirectories(table)).isNotEmpty();
        CompactionRandomTest.execute(connection, "DELETE FROM drop_p.t WHERE k = 101");
        List<String> shown = new ArrayList<>();
        try (Statement statement = connection.createStatement();
            ResultSet partitions = statement.executeQuery("SHOW PARTITIONS FROM drop_p.t")) {
          while (partitions.next()) {
            shown.add(
                partitions.getString("PartitionName")
                    + " v"
                    + partitions.getString("VisibleVersion")
                    + " "
                    + partitions.getString("State")
                    + " "
                    + partitions.getString("PartitionKey")
                    + " "
                    + partitions.getString("DistributionKey")
                    + " "
                    + partitions.getString("Buckets")
                    + " rows="
                    + partitions.getString("RowCount"));
          }
        }
        // Three loads and the DELETE: version 5; six rows less the one deleted.
        assertThat(shown).containsExactly("p2 v5 NORMAL k k 2 rows=5");
      }
      server.restart();
      try (Connection connection = CompactionRandomTest.connect(server)) {
        assertThat(single(connection, "SELECT COUNT(*) FROM drop_p.t")).isEqualTo(5);
        assertThat(single(connection, "SELECT SUM(v) FROM drop_p.t")).isEqualTo(10);
      }
    }
  }

  private static long single(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }

  private static Path tableDirectory(Path dataDirectory) throws Exception {
    try (Stream<Path> files = Files.walk(dataDirectory.resolve("data"))) {
      return files
          .filter(path -> path.toString().endsWith(".bsg"))
          .findFirst()
          .orElseThrow()
          .getParent()
          .getParent();
    }
  }

  /** The names of the tablet directories of the table that hold segment files. */
  private static java.util.Set<String> tabletDirectories(Path table) throws Exception {
    try (Stream<Path> files = Files.walk(table)) {
      return files
          .filter(path -> path.toString().endsWith(".bsg"))
          .map(path -> path.getParent().getFileName().toString())
          .collect(java.util.stream.Collectors.toSet());
    }
  }
}
