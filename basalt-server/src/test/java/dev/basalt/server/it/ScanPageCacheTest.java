package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.load.compaction.CompactionPolicy;
import dev.basalt.load.compaction.MaintenanceConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scan page cache (docs/architecture.md, "Segment caches") through the MySQL protocol: a scan
 * repeated over unchanged data decodes no page (EXPLAIN ANALYZE's {@code pages_decoded}) and
 * answers as the first one did; after writes, deletes, a compaction that replaces every segment and
 * the garbage collection of the old files, scans read the new segments and answer right.
 */
class ScanPageCacheTest {
  private static final String SUMS = "SELECT COUNT(*), SUM(v), MIN(name), MAX(name) FROM t";

  private TestServer server;
  private Connection connection;

  @BeforeEach
  void start() throws SQLException {
    // No background compaction; the garbage collector sweeps every 100 ms without a grace period.
    server =
        TestServer.start(
            config ->
                config.withMaintenance(new MaintenanceConfig(0, CompactionPolicy.DEFAULT, 0, 100)));
    server.execute("CREATE DATABASE cache");
    connection = DriverManager.getConnection(server.mysqlUrl("cache", ""), "root", "");
    execute(
        "CREATE TABLE t (k INT, v BIGINT, name VARCHAR(20)) DUPLICATE KEY(k)"
            + " DISTRIBUTED BY HASH(k) BUCKETS 2");
    for (int load = 0; load < 3; load++) {
      StringBuilder insert = new StringBuilder("INSERT INTO t VALUES ");
      for (int k = load * 2_000; k < (load + 1) * 2_000; k++) {
        insert.append(k > load * 2_000 ? ", " : "");
        insert.append('(').append(k).append(", ").append(k * 10L).append(", 'n").append(k);
        insert.append("')");
      }
      execute(insert.toString());
    }
  }

  @AfterEach
  void stop() throws SQLException {
    connection.close();
    server.close();
  }

  @Test
  void aRepeatedScanDecodesNothingAndCompactedSegmentsAreReadAfresh() throws Exception {
    String expected = "6000|179970000|n0|n999";
    assertThat(rows(SUMS)).containsExactly(expected);
    assertThat(pagesDecoded(SUMS)).isZero();
    assertThat(rows("SELECT SUM(v) FROM t WHERE k >= 3000")).containsExactly("134985000");

    execute("INSERT INTO t VALUES (-1, 7, 'a'), (40000, 8, 'zz')");
    execute("DELETE FROM t WHERE k BETWEEN 0 AND 99");
    String changed = "5902|179920515|a|zz";
    assertThat(rows(SUMS)).containsExactly(changed);

    List<String> before = segmentFiles();
    execute("ADMIN COMPACT TABLE t");
    // The compacted segments are new files: their pages are decoded once, then cached.
    assertThat(pagesDecoded(SUMS)).isPositive();
    assertThat(pagesDecoded(SUMS)).isZero();
    assertThat(rows(SUMS)).containsExactly(changed);

    // The old segments are deleted (and forgotten by the caches); scans are unaffected.
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (segmentFiles().stream().anyMatch(before::contains)) {
      assertThat(Instant.now())
          .as("old segments deleted by the garbage collector")
          .isBefore(deadline);
      Thread.sleep(50);
    }
    assertThat(rows(SUMS)).containsExactly(changed);
    assertThat(rows("SELECT k, v, name FROM t WHERE k IN (-1, 100, 5999, 40000) ORDER BY k"))
        .containsExactly("-1|7|a", "100|1000|n100", "5999|59990|n5999", "40000|8|zz");
  }

  private void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private List<String> rows(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int c = 1; c <= columns; c++) {
          row.append(c > 1 ? "|" : "").append(result.getString(c));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  private static final Pattern PAGES_DECODED = Pattern.compile("pages_decoded=(\\d+)");

  /** The pages the scans of {@code sql} decoded, summed over EXPLAIN ANALYZE's scan lines. */
  private long pagesDecoded(String sql) throws SQLException {
    long pages = 0;
    boolean scanned = false;
    for (String line : rows("EXPLAIN ANALYZE " + sql)) {
      Matcher matcher = PAGES_DECODED.matcher(line);
      while (matcher.find()) {
        pages += Long.parseLong(matcher.group(1));
        scanned = true;
      }
    }
    assertThat(scanned).as("EXPLAIN ANALYZE shows a scan").isTrue();
    return pages;
  }

  private List<String> segmentFiles() throws Exception {
    return DataDirectoryWalk.read(
        server.dataDirectory().resolve("data"),
        files -> files.map(Object::toString).filter(path -> path.endsWith(".bsg")).toList());
  }
}
