package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.load.compaction.MaintenanceConfig;
import dev.basalt.server.ServerConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Primary-key lookups on a merge-on-write table with many versions (docs/architecture.md, "Point
 * queries"): the short circuit keeps each tablet's segments and bloom filters and each segment's
 * merged delete marks between lookups, rebuilt when the tablet's rowsets or delete layers change.
 * Seeded random upserts and deletes, each a new version, with no compaction but on request; after
 * every step, lookups through server-side prepared statements and as text are compared with a
 * {@link TreeMap} of the rows, so every change of the kept structures is checked right after it
 * happens.
 */
class PointLookupManyVersionsTest {
  private static final long SEED = 20261207L;
  private static final int KEYS = 80;

  @Test
  void lookupsMatchAReferenceModelAcrossManyVersionsAndCompactions() throws SQLException {
    try (TestServer server =
            TestServer.start(ServerConfig.DEFAULT_LOAD_BUFFER_BYTES, MaintenanceConfig.ON_REQUEST);
        Connection connection =
            DriverManager.getConnection(
                server.mysqlUrl("", "useServerPrepStmts=true&cachePrepStmts=true"), "root", "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE versions");
      statement.execute(
          "CREATE TABLE versions.t (id BIGINT, note VARCHAR(40)) UNIQUE KEY(id)"
              + " DISTRIBUTED BY HASH(id) BUCKETS 2");
      TreeMap<Long, String> model = new TreeMap<>();
      SplittableRandom random = new SplittableRandom(SEED);
      try (PreparedStatement lookup =
          connection.prepareStatement("SELECT note FROM versions.t WHERE id = ?")) {
        for (int step = 0; step < 160; step++) {
          int action = random.nextInt(10);
          if (action < 7) {
            List<String> rows = new ArrayList<>();
            int count = 1 + random.nextInt(4);
            for (int i = 0; i < count; i++) {
              long id = random.nextInt(KEYS);
              String note = "s" + step + "-" + i;
              rows.add("(" + id + ", '" + note + "')");
              model.put(id, note);
            }
            statement.execute("INSERT INTO versions.t VALUES " + String.join(", ", rows));
          } else if (action < 9) {
            long id = random.nextInt(KEYS);
            statement.execute("DELETE FROM versions.t WHERE id = " + id);
            model.remove(id);
          } else if (step < 120) {
            // Not in the last 40 steps: the lookups at the end meet many versions.
            statement.execute("ADMIN COMPACT TABLE versions.t");
          }
          for (int probe = 0; probe < 6; probe++) {
            long id = random.nextInt(KEYS + 5);
            String expected = model.get(id);
            String context = "seed " + SEED + ", step " + step + ", id " + id;
            lookup.setLong(1, id);
            assertThat(notes(lookup.executeQuery())).as(context).isEqualTo(listOf(expected));
            assertThat(
                    notes(statement.executeQuery("SELECT note FROM versions.t WHERE id = " + id)))
                .as(context)
                .isEqualTo(listOf(expected));
          }
        }
      }
      try (ResultSet tablets = statement.executeQuery("SHOW TABLETS FROM versions.t")) {
        int maxVersions = 0;
        while (tablets.next()) {
          maxVersions = Math.max(maxVersions, tablets.getInt("VersionCount"));
        }
        // Many versions were probed, not a compacted table.
        assertThat(maxVersions).as("seed " + SEED).isGreaterThan(10);
      }
    }
  }

  private static List<String> notes(ResultSet result) throws SQLException {
    List<String> notes = new ArrayList<>();
    try (result) {
      while (result.next()) {
        notes.add(result.getString(1));
      }
    }
    return notes;
  }

  private static List<String> listOf(String note) {
    return note == null ? List.of() : List.of(note);
  }
}
