package dev.basalt.server;

import dev.basalt.meta.store.JdbcMetaStore;
import java.nio.file.Path;

/**
 * Where a server keeps its catalog: SQLite in the data directory ({@code meta/catalog.db}, the
 * default), or a table in PostgreSQL ({@code --meta jdbc:postgresql://...}, docs/architecture.md).
 * The data directory holds the segment files either way.
 *
 * @param postgresUrl a {@code jdbc:postgresql:} URL (user and password as its {@code user} and
 *     {@code password} parameters), or null for SQLite
 * @param table the PostgreSQL table holding the catalog (created if missing), or null for SQLite
 * @param sharedStorage the directory holding the segment files ({@code data/...}) that every front
 *     end of a shared PostgreSQL catalog reads and writes ({@code --shared-storage}), or null to
 *     keep them in the data directory (one front end per catalog). Each front end still has its own
 *     data directory for its lock, group-commit WAL, spill files, audit log and keys.
 */
public record MetaStoreLocation(String postgresUrl, String table, Path sharedStorage) {
  /** SQLite in the data directory. */
  public static final MetaStoreLocation SQLITE = new MetaStoreLocation(null, null, null);

  /** The table a PostgreSQL catalog lives in unless another is named. */
  public static final String DEFAULT_POSTGRES_TABLE = "basalt_catalog";

  public MetaStoreLocation {
    if (postgresUrl != null && !postgresUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "the metadata store must be 'sqlite' or a jdbc:postgresql: URL, got '"
              + postgresUrl
              + "'");
    }
    if ((postgresUrl == null) != (table == null)) {
      throw new IllegalArgumentException("a PostgreSQL catalog needs its URL and its table");
    }
    if (sharedStorage != null && postgresUrl == null) {
      throw new IllegalArgumentException(
          "shared storage needs a shared catalog: give --meta jdbc:postgresql:... too");
    }
    if (sharedStorage != null) {
      sharedStorage = sharedStorage.toAbsolutePath();
    }
  }

  /** PostgreSQL at {@code url}, in {@code table}, with the segment files in the data directory. */
  public static MetaStoreLocation postgres(String url, String table) {
    return new MetaStoreLocation(url, table, null);
  }

  /** This catalog with the segment files in {@code directory}, shared by its front ends. */
  public MetaStoreLocation withSharedStorage(Path directory) {
    return new MetaStoreLocation(postgresUrl, table, directory);
  }

  /** Whether several front ends may share this catalog's segment files. */
  public boolean isSharedStorage() {
    return sharedStorage != null;
  }

  /**
   * The root of the file system holding the segment files ({@code data/...} paths): the shared
   * storage directory, or else the data directory ({@code dataDirectory} is absolute).
   */
  public Path segmentRoot(Path dataDirectory) {
    return sharedStorage != null ? sharedStorage : dataDirectory;
  }

  public boolean isSqlite() {
    return postgresUrl == null;
  }

  /** Opens the store; {@code dataDirectory} is absolute. */
  public JdbcMetaStore open(Path dataDirectory) {
    if (isSqlite()) {
      return JdbcMetaStore.openSqlite(dataDirectory.resolve("meta").resolve("catalog.db"));
    }
    // The user and password travel in the URL; its parameters win over these properties.
    return JdbcMetaStore.openPostgres(postgresUrl, System.getProperty("user.name"), null, table);
  }

  @Override
  public String toString() {
    if (isSqlite()) {
      return "sqlite";
    }
    int parameters = postgresUrl.indexOf('?');
    // Never print a password.
    return (parameters < 0 ? postgresUrl : postgresUrl.substring(0, parameters))
        + " table "
        + table
        + (sharedStorage == null ? "" : ", shared storage " + sharedStorage);
  }
}
