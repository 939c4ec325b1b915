package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.storage.fs.LocalFileSystem;
import dev.basalt.storage.segment.PageMetadata;
import dev.basalt.storage.segment.SegmentReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The row store ({@code "store_row_column" = "true"}, {@code "row_store_columns" = "..."};
 * docs/format.md section 14): three tables of one schema, one plain, one storing every column row
 * by row and one storing two, go through the same INSERT, Stream Load, UPDATE, partial update,
 * DELETE, compaction, ADD/DROP COLUMN and restart. After each step every prepared point lookup on
 * the row-store tables answers as on the plain table and as a full scan (which never reads the row
 * store), and every segment file of the row-store tables carries a row-store column (none of the
 * plain table's do). A last test damages a value column's pages on disk: point lookups still answer
 * from the row store while a scan reports the corruption, so lookups really read it.
 */
class RowStoreTest {
  private static final String PREPARED = "useServerPrepStmts=true";

  private static final List<String> TABLES = List.of("plain", "all_rows", "some_rows");

  private TestServer server;
  private Connection text;
  private Connection prepared;

  @BeforeEach
  void start() throws SQLException {
    server = TestServer.start();
    try (Connection root = DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
        Statement statement = root.createStatement()) {
      statement.execute("CREATE DATABASE serving");
    }
    connect();
    String columns =
        " (id INT, region VARCHAR(16), amount DOUBLE, price DECIMAL(12,3), day DATE, note STRING)"
            + " UNIQUE KEY(id, region) DISTRIBUTED BY HASH(id, region) BUCKETS 2";
    execute(
        "CREATE TABLE plain" + columns,
        "CREATE TABLE all_rows" + columns + " PROPERTIES (\"store_row_column\" = \"true\")",
        "CREATE TABLE some_rows"
            + columns
            + " PROPERTIES (\"row_store_columns\" = \"note, amount\")");
  }

  private void connect() throws SQLException {
    text = DriverManager.getConnection(server.mysqlUrl("serving", ""), "root", "");
    prepared = DriverManager.getConnection(server.mysqlUrl("serving", PREPARED), "root", "");
  }

  @AfterEach
  void stop() throws SQLException {
    text.close();
    prepared.close();
    server.close();
  }

  @Test
  void lookupsAnswerAsOnAPlainTableThroughEveryWritePath() throws Exception {
    StringBuilder values = new StringBuilder();
    for (int id = 1; id <= 50; id++) {
      for (String region : List.of("eu", "us")) {
        values
            .append(values.isEmpty() ? "" : ", ")
            .append(
                "(%d, '%s', %s, %d.125, '2024-01-%02d', %s)"
                    .formatted(
                        id,
                        region,
                        id % 7 == 0 ? "NULL" : id * 1.5,
                        id * 10,
                        id % 28 + 1,
                        id % 4 == 0 ? "NULL" : "'note " + id + " ✓'"));
      }
    }
    onEveryTable("INSERT INTO {t} VALUES " + values);
    checkEveryTable("INSERT");

    StringBuilder csv = new StringBuilder();
    for (int id = 40; id <= 80; id++) {
      csv.append(id).append(",eu,").append(-id).append(",1.5,2025-06-30,loaded ").append(id);
      csv.append('\n');
    }
    try (StreamLoadClient loads = new StreamLoadClient(server.httpPort())) {
      for (String table : TABLES) {
        assertThat(
                loads
                    .load(
                        "serving",
                        table,
                        StreamLoadClient.headers("column_separator", ","),
                        csv.toString())
                    .get("Status")
                    .asText())
            .isEqualTo("Success");
      }
    }
    checkEveryTable("Stream Load");

    onEveryTable("UPDATE {t} SET amount = 2 * amount, note = 'updated' WHERE id % 3 = 0");
    checkEveryTable("UPDATE");

    try (Statement statement = text.createStatement()) {
      statement.execute("SET enable_unique_key_partial_update = true");
    }
    onEveryTable(
        "INSERT INTO {t} (id, region, note) VALUES (2, 'eu', 'partial'), (90, 'us', 'new')");
    try (Statement statement = text.createStatement()) {
      statement.execute("SET enable_unique_key_partial_update = false");
    }
    checkEveryTable("partial update");

    onEveryTable("DELETE FROM {t} WHERE id % 5 = 0");
    checkEveryTable("DELETE");

    onEveryTable("ADMIN COMPACT TABLE {t}");
    checkEveryTable("compaction");

    onEveryTable("ALTER TABLE {t} ADD COLUMN stock INT DEFAULT '7'");
    checkEveryTable("ADD COLUMN");
    onEveryTable("INSERT INTO {t} VALUES (3, 'us', 0.5, 1, '2020-02-02', 'with stock', 11)");
    checkEveryTable("ADD COLUMN and INSERT");

    onEveryTable("ALTER TABLE {t} DROP COLUMN day");
    checkEveryTable("DROP COLUMN");
    onEveryTable("INSERT INTO {t} VALUES (4, 'eu', 0.25, 2, 'after drop', 12)");
    onEveryTable("ADMIN COMPACT TABLE {t}");
    checkEveryTable("DROP COLUMN, INSERT and compaction");

    text.close();
    prepared.close();
    server.restart();
    connect();
    checkEveryTable("restart");
  }

  @Test
  void lookupsReadTheRowStoreNotTheColumns() throws Exception {
    onEveryTable(
        "INSERT INTO {t} VALUES (1, 'eu', 1.5, 2.25, '2024-01-01', 'one'),"
            + " (2, 'eu', 2.5, 3.25, '2024-01-02', 'two')");
    String lookup = "SELECT note, amount FROM {t} WHERE id = ? AND region = ?";
    assertThat(lookup("all_rows", lookup, 2, "eu")).containsExactly("two|2.5");
    int noteColumn = 5;
    for (String table : List.of("plain", "all_rows")) {
      for (Path segment : segments(table)) {
        damagePages(segment, noteColumn);
      }
    }
    text.close();
    prepared.close();
    server.restart(); // empties the page cache
    connect();
    assertThat(lookup("all_rows", lookup, 2, "eu")).containsExactly("two|2.5");
    assertThat(lookup("all_rows", lookup, 1, "eu")).containsExactly("one|1.5");
    assertThatThrownBy(() -> lookup("plain", lookup, 2, "eu"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("Corrupt data");
    assertThatThrownBy(() -> scan("all_rows"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("Corrupt data");
  }

  /** Overwrites the body of every page of one column with garbage (its checksum then fails). */
  private void damagePages(Path segment, int columnUniqueId) throws IOException {
    List<PageMetadata> pages;
    try (SegmentReader reader =
        SegmentReader.open(
            new LocalFileSystem(server.dataDirectory()),
            server.dataDirectory().relativize(segment).toString())) {
      pages = reader.column(columnUniqueId).pages();
    }
    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
      for (PageMetadata page : pages) {
        file.seek(page.offset() + 16);
        for (int i = 16; i < page.storedLength(); i++) {
          file.write(0x5A);
        }
      }
    }
  }

  private void onEveryTable(String template) throws SQLException {
    for (String table : TABLES) {
      execute(template.replace("{t}", table));
    }
  }

  /**
   * Looks every key up (present, deleted and absent ones) in every table, prepared, and compares
   * with the plain table and with a full scan of the same table; checks the segment files.
   */
  private void checkEveryTable(String after) throws Exception {
    Map<String, Map<String, String>> scans = new HashMap<>();
    for (String table : TABLES) {
      scans.put(table, scan(table));
    }
    assertThat(scans.get("all_rows")).as(after).isEqualTo(scans.get("plain"));
    assertThat(scans.get("some_rows")).as(after).isEqualTo(scans.get("plain"));
    assertThat(scans.get("plain")).as(after).isNotEmpty();
    String lookup = "SELECT * FROM {t} WHERE id = ? AND region = ?";
    String some = "SELECT amount, note FROM {t} WHERE region = ? AND id = ?";
    for (int id = 0; id <= 92; id++) {
      for (String region : List.of("eu", "us")) {
        String key = id + "|" + region;
        List<String> expected = lookup("plain", lookup, id, region);
        String scanned = scans.get("plain").get(key);
        assertThat(expected)
            .as("%s: %s", after, key)
            .isEqualTo(scanned == null ? List.of() : List.of(scanned));
        List<String> expectedSome = lookup("plain", some, region, id);
        for (String table : List.of("all_rows", "some_rows")) {
          assertThat(lookup(table, lookup, id, region))
              .as("%s: %s %s", after, table, key)
              .isEqualTo(expected);
          assertThat(lookup(table, some, region, id))
              .as("%s: %s %s", after, table, key)
              .isEqualTo(expectedSome);
        }
      }
    }
    for (String table : TABLES) {
      for (Path segment : segments(table)) {
        try (SegmentReader reader =
            SegmentReader.open(
                new LocalFileSystem(server.dataDirectory()),
                server.dataDirectory().relativize(segment).toString())) {
          assertThat(reader.hasRowStore())
              .as("%s: %s segment %s", after, table, segment)
              .isEqualTo(!table.equals("plain"));
        }
      }
    }
  }

  /** The table's rows by key ({@code id|region}), each as its columns' text joined by '|'. */
  private Map<String, String> scan(String table) throws SQLException {
    Map<String, String> rows = new HashMap<>();
    try (Statement statement = text.createStatement();
        ResultSet resultSet = statement.executeQuery("SELECT * FROM " + table)) {
      while (resultSet.next()) {
        rows.put(resultSet.getString(1) + "|" + resultSet.getString(2), row(resultSet));
      }
    }
    return rows;
  }

  private List<String> lookup(String table, String template, Object... values) throws SQLException {
    try (PreparedStatement statement = prepared.prepareStatement(template.replace("{t}", table))) {
      for (int i = 0; i < values.length; i++) {
        statement.setObject(i + 1, values[i]);
      }
      List<String> rows = new ArrayList<>();
      try (ResultSet resultSet = statement.executeQuery()) {
        while (resultSet.next()) {
          rows.add(row(resultSet));
        }
      }
      return rows;
    }
  }

  private static String row(ResultSet resultSet) throws SQLException {
    StringBuilder row = new StringBuilder();
    for (int column = 1; column <= resultSet.getMetaData().getColumnCount(); column++) {
      row.append(column == 1 ? "" : "|").append(resultSet.getString(column));
    }
    return row.toString();
  }

  /** The segment files in the table's tablet directories (live or not yet collected). */
  private List<Path> segments(String table) throws IOException, SQLException {
    Set<String> tablets = new java.util.HashSet<>();
    try (Statement statement = text.createStatement();
        ResultSet resultSet = statement.executeQuery("SHOW TABLETS FROM " + table)) {
      while (resultSet.next()) {
        tablets.add(resultSet.getString("TabletId"));
      }
    }
    assertThat(tablets).isNotEmpty();
    try (Stream<Path> files = Files.walk(server.dataDirectory())) {
      return files
          .filter(path -> path.getFileName().toString().endsWith(".bsg"))
          .filter(path -> tablets.contains(path.getParent().getFileName().toString()))
          .collect(Collectors.toList());
    }
  }

  private void execute(String... statements) throws SQLException {
    try (Statement statement = text.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
