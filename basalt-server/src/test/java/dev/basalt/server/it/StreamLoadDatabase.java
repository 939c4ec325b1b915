package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The fixture of the Stream Load tests: an in-process server with small load buffers (64 KiB, so
 * that a few thousand rows flush several segments per tablet), one database made at start with the
 * given tables, and an HTTP client for its Stream Load port. Loads default to comma-separated
 * fields; rows are read back over JDBC in the database.
 */
final class StreamLoadDatabase implements AutoCloseable {
  final TestServer server;
  final String name;
  private StreamLoadClient client;

  private StreamLoadDatabase(TestServer server, String name) {
    this.server = server;
    this.name = name;
    this.client = new StreamLoadClient(server.httpPort());
  }

  /** Starts a server, creates database {@code name} and runs each CREATE TABLE statement. */
  static StreamLoadDatabase start(String name, String... createTables) throws SQLException {
    StreamLoadDatabase database = new StreamLoadDatabase(TestServer.start(64 << 10), name);
    database.server.execute("CREATE DATABASE " + name);
    for (String createTable : createTables) {
      database.server.execute(createTable);
    }
    return database;
  }

  /** The HTTP client of the server's current Stream Load port. */
  StreamLoadClient client() {
    return client;
  }

  /** Rows of a query run in this database, columns joined by {@code |}. */
  List<String> query(String sql) throws SQLException {
    return server.rows(name, sql);
  }

  /** Stream Load of {@code csv} into {@code table}; fields are comma-separated unless set. */
  JsonNode load(String table, Map<String, String> headers, String csv) throws Exception {
    headers.putIfAbsent("column_separator", ",");
    return client.load(name, table, headers, csv);
  }

  /** Restarts the server on the same data directory; the client follows its new HTTP port. */
  void restart() {
    server.restart();
    client.close();
    client = new StreamLoadClient(server.httpPort());
  }

  /** Asserts that a Stream Load answer says Success (showing the answer if not). */
  static JsonNode assertSuccess(JsonNode answer) {
    assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Success");
    return answer;
  }

  @Override
  public void close() {
    client.close();
    server.close();
  }
}
