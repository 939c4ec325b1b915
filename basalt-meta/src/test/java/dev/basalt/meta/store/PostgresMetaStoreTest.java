package dev.basalt.meta.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Runs the store contract against PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth, database
 * test) in a schema created for this run and dropped afterwards. Skipped, with the reason, when no
 * server answers there.
 */
class PostgresMetaStoreTest extends MetaStoreContract {
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=3";
  private static String schema;
  private static String unavailableReason;
  private final List<MetaStore> opened = new ArrayList<>();
  private int tableCounter;
  private String currentTable;

  @BeforeAll
  static void createSchema() {
    schema = "basalt_test_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = DriverManager.getConnection(URL, "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      unavailableReason =
          "PostgreSQL at 127.0.0.1:5432 (user postgres, database test) is not reachable: "
              + e.getMessage();
    }
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    if (unavailableReason != null) {
      return;
    }
    try (Connection connection = DriverManager.getConnection(URL, "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  @Override
  MetaStore store() {
    if (unavailableReason != null && "true".equalsIgnoreCase(System.getenv("CI"))) {
      // .ci/run starts PostgreSQL; in CI a missing database is a failure, not a skip.
      throw new AssertionError("CI must provide PostgreSQL: " + unavailableReason);
    }
    assumeTrue(unavailableReason == null, unavailableReason);
    currentTable = schema + ".meta_" + (tableCounter++);
    return open();
  }

  private MetaStore open() {
    MetaStore store = JdbcMetaStore.openPostgres(URL, "postgres", "", currentTable);
    opened.add(store);
    return store;
  }

  @Override
  MetaStore reopen(MetaStore store) {
    store.close();
    return open();
  }

  @AfterEach
  void closeAll() {
    opened.forEach(MetaStore::close);
  }
}
