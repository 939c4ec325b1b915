package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.fault.FaultPoints;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.store.JdbcMetaStore;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A small INSERT's segments are forced after its acknowledgement, their bytes kept as copies in the
 * catalog commit until then (load.SegmentSyncer, docs/reliability.md). A server halted at each
 * point of that protocol — just after a load's catalog commit, before the background force, after
 * it but before the copies are dropped — and then stripped of what a power loss could take (every
 * file that still has a copy is cut to half its length) restarts with every acknowledged INSERT
 * whole, the one in doubt whole or absent, and nothing else.
 */
class SmallLoadCrashTest {
  private static final int ROWS_PER_INSERT = 100;

  @TempDir Path directory;

  @ParameterizedTest
  @ValueSource(strings = {"metadata-commit-after", "segment-sync-before", "segment-sync-after"})
  void acknowledgedInsertsSurviveAHaltAndTornSegments(String point) throws Exception {
    Path data = directory.resolve("data");
    ServerProcess setUp = ServerProcess.start(data, directory.resolve("setup.log"));
    try (Connection connection = setUp.connect()) {
      execute(connection, "CREATE DATABASE crash_small");
      execute(
          connection,
          "CREATE TABLE crash_small.t (load_id BIGINT NOT NULL, k BIGINT NOT NULL, v VARCHAR(64))"
              + " DUPLICATE KEY(load_id) DISTRIBUTED BY HASH(k) BUCKETS 3");
    } finally {
      setUp.terminate();
    }

    ServerProcess halting =
        ServerProcess.start(
            data,
            directory.resolve("halting.log"),
            "512m",
            List.of(),
            List.of("-Dbasalt.fault.halt-at=6", "-Dbasalt.fault.points=" + point));
    List<Long> acknowledged = new ArrayList<>();
    long inDoubt = -1;
    try (Connection connection = halting.connect()) {
      for (long loadId = 1; loadId <= 500 && inDoubt < 0; loadId++) {
        try {
          execute(connection, insert(loadId));
          acknowledged.add(loadId);
        } catch (SQLException lost) {
          inDoubt = loadId;
        }
      }
    }
    assertThat(inDoubt).as("the server halted at %s while inserting", point).isPositive();
    assertThat(halting.exitCode()).isEqualTo(FaultPoints.HALT_EXIT_CODE);
    assertThat(halting.log()).contains("basalt fault point " + point + " hit 6: halting");

    Set<String> copied = copiedSegments(data);
    assertThat(copied).as("segments whose durability rests on their catalog copies").isNotEmpty();
    for (String path : copied) {
      Path file = data.resolve(path);
      if (Files.exists(file)) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.truncate(channel.size() / 2);
        }
      }
    }

    ServerProcess restarted = ServerProcess.start(data, directory.resolve("restarted.log"));
    try (Connection connection = restarted.connect()) {
      Map<Long, long[]> loads = loads(connection);
      for (long loadId : acknowledged) {
        assertThat(loads.remove(loadId))
            .as("acknowledged INSERT %d", loadId)
            .containsExactly(ROWS_PER_INSERT, expectedSum(loadId));
      }
      long[] doubtful = loads.remove(inDoubt);
      if (doubtful != null) {
        assertThat(doubtful)
            .as("the INSERT in doubt")
            .containsExactly(ROWS_PER_INSERT, expectedSum(inDoubt));
      }
      assertThat(loads).as("rows of no INSERT that was sent").isEmpty();
    } finally {
      restarted.terminate();
    }
    assertThat(restarted.log()).contains("segment files of small loads from their catalog copies");
    assertThat(copiedSegments(data)).as("copies dropped once restored").isEmpty();
  }

  private static String insert(long loadId) {
    // With a label each INSERT commits on its own (without, consecutive INSERTs into a DUPLICATE
    // KEY table share a group commit and its write-ahead log: docs/stream-load.md).
    StringBuilder sql =
        new StringBuilder("INSERT INTO crash_small.t WITH LABEL small_" + loadId + " VALUES ");
    for (int row = 0; row < ROWS_PER_INSERT; row++) {
      long k = loadId * 1000 + row;
      sql.append(row == 0 ? "" : ", ")
          .append('(')
          .append(loadId)
          .append(", ")
          .append(k)
          .append(", 'value of row ")
          .append(k)
          .append("')");
    }
    return sql.toString();
  }

  private static long expectedSum(long loadId) {
    long sum = 0;
    for (int row = 0; row < ROWS_PER_INSERT; row++) {
      sum += loadId * 1000 + row;
    }
    return sum;
  }

  /** Per load id, its row count and sum of k. */
  private static Map<Long, long[]> loads(Connection connection) throws SQLException {
    Map<Long, long[]> loads = new HashMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT load_id, count(*), sum(k) FROM crash_small.t GROUP BY load_id")) {
      while (rows.next()) {
        loads.put(rows.getLong(1), new long[] {rows.getLong(2), rows.getLong(3)});
      }
    }
    return loads;
  }

  /** The paths with copies in the catalog, read from a copy of its files (the server is down). */
  private Set<String> copiedSegments(Path data) throws Exception {
    Path copy = Files.createTempDirectory(directory, "catalog-copy");
    try (Stream<Path> files = Files.list(data.resolve("meta"))) {
      for (Path file : files.toList()) {
        Files.copy(file, copy.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    try (JdbcMetaStore store = JdbcMetaStore.openSqlite(copy.resolve("catalog.db"))) {
      return Set.copyOf(Catalog.open(store).segmentCopies().keySet());
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
