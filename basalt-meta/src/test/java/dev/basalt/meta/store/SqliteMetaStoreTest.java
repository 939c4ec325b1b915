package dev.basalt.meta.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteMetaStoreTest extends MetaStoreContract {
  @TempDir Path directory;
  private final List<MetaStore> opened = new ArrayList<>();

  @Override
  MetaStore store() {
    MetaStore store = JdbcMetaStore.openSqlite(directory.resolve("meta").resolve("catalog.db"));
    opened.add(store);
    return store;
  }

  @Override
  MetaStore reopen(MetaStore store) {
    store.close();
    return store();
  }

  @AfterEach
  void closeAll() {
    opened.forEach(MetaStore::close);
  }

  @Test
  void usesWriteAheadLogAndFullSync() throws Exception {
    MetaStore store = store();
    store.commit(new WriteBatch().put("a", bytes("1")));
    // A second, independent connection sees the committed data and the WAL journal mode.
    try (Connection connection =
            DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("meta/catalog.db"));
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("PRAGMA journal_mode")) {
      rows.next();
      assertThat(rows.getString(1)).isEqualToIgnoringCase("wal");
      try (ResultSet count = statement.executeQuery("SELECT count(*) FROM basalt_meta")) {
        count.next();
        assertThat(count.getInt(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void closedStoreRejectsCalls() {
    MetaStore store = store();
    store.close();
    store.close();
    assertThatThrownBy(() -> store.get("a")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aZeroLengthCatalogFileIsRefusedNotStartedEmpty() throws Exception {
    Path file = directory.resolve("meta").resolve("catalog.db");
    store().commit(new WriteBatch().put("a", bytes("1")));
    closeAll();
    opened.clear();
    Files.write(file, new byte[0]);
    Files.deleteIfExists(file.resolveSibling("catalog.db-wal"));
    assertCorrupt(file, "empty (zero length)");
  }

  @Test
  void aFileThatIsNotSqliteIsRefused() throws Exception {
    Path file = directory.resolve("meta").resolve("catalog.db");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file, "this is not a database at all, just some text", StandardCharsets.UTF_8);
    assertCorrupt(file, "SQLite's header");
  }

  @Test
  void anSqliteFileWithoutTheStoreTableIsRefused() throws Exception {
    Path file = directory.resolve("meta").resolve("catalog.db");
    Files.createDirectories(file.getParent());
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE something_else (x INT)");
    }
    assertCorrupt(file, "not a Basalt catalog");
  }

  @Test
  void aNewStoreLeavesNoTemporaryFileBehind() throws Exception {
    store().commit(new WriteBatch().put("a", bytes("1")));
    try (var files = Files.list(directory.resolve("meta"))) {
      assertThat(files.map(path -> path.getFileName().toString()))
          .noneMatch(name -> name.contains(".creating"));
    }
  }

  /**
   * SQLite keeps no checksum of a row's bytes, so each record carries its own: a bit flipped inside
   * a stored value (here through SQLite itself, as a disk fault under an intact page structure
   * would leave it) is refused naming the file and the key, on get and on scan; records from before
   * checksums (no trailer) still read.
   */
  @Test
  void aRecordWithAFlippedBitFailsItsChecksum() throws Exception {
    Path file = directory.resolve("meta").resolve("catalog.db");
    MetaStore store = store();
    store.commit(
        new WriteBatch().put("table/1", bytes("{\"name\":\"orders\"}")).put("old", bytes("x")));
    store.close();
    try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = sqlite.createStatement()) {
      byte[] stored;
      try (ResultSet rows =
          statement.executeQuery("SELECT v FROM basalt_meta WHERE k = 'table/1'")) {
        assertThat(rows.next()).isTrue();
        stored = rows.getBytes(1);
      }
      stored[3] ^= 0x04;
      try (var update =
          sqlite.prepareStatement("UPDATE basalt_meta SET v = ? WHERE k = 'table/1'")) {
        update.setBytes(1, stored);
        update.executeUpdate();
      }
      // A record written before checksums: its bytes alone.
      statement.execute("UPDATE basalt_meta SET v = X'6F6C64' WHERE k = 'old'");
    }
    MetaStore reopened = store();
    assertThat(new String(reopened.get("old").orElseThrow(), StandardCharsets.UTF_8))
        .isEqualTo("old");
    for (Runnable read :
        List.<Runnable>of(() -> reopened.get("table/1"), () -> reopened.scan("table/"))) {
      assertThatThrownBy(read::run)
          .isInstanceOfSatisfying(
              BasaltException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_METADATA))
          .hasMessageContaining(file.toString())
          .hasMessageContaining("record 'table/1' does not match its CRC32C checksum");
    }
  }

  private static void assertCorrupt(Path file, String reason) {
    assertThatThrownBy(() -> JdbcMetaStore.openSqlite(file))
        .isInstanceOfSatisfying(
            BasaltException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_METADATA))
        .hasMessageContaining(file.toString())
        .hasMessageContaining(reason);
  }
}
