package dev.basalt.server.it;

import static dev.basalt.server.it.StreamLoadClient.headers;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AUTO PARTITION BY RANGE (date_trunc(...)) and AUTO PARTITION BY LIST tables get the partitions
 * their loads need: through INSERT over JDBC, through Stream Load over HTTP, and from concurrent
 * loads that need the same new partitions (each is created once, no row is lost).
 */
class AutoPartitionTest {
  private static TestServer server;

  @BeforeAll
  static void start() throws SQLException {
    server = TestServer.start(64 << 10);
    server.execute("CREATE DATABASE auto_p");
    server.execute(
        "CREATE TABLE auto_p.events (dt DATETIME NOT NULL, id INT NOT NULL, v INT)"
            + " DUPLICATE KEY(dt, id) AUTO PARTITION BY RANGE (date_trunc(dt, 'month')) ()"
            + " DISTRIBUTED BY HASH(id) BUCKETS 2");
    server.execute(
        "CREATE TABLE auto_p.cities (city VARCHAR(20) NOT NULL, id INT NOT NULL, v INT)"
            + " UNIQUE KEY(city, id) AUTO PARTITION BY LIST (city) ()"
            + " DISTRIBUTED BY HASH(id) BUCKETS 1");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static List<String> query(String sql) throws SQLException {
    return server.rows("auto_p", sql);
  }

  private static List<String> partitions(String table) throws SQLException {
    return query(
        "SELECT partition_name FROM information_schema.partitions WHERE table_schema = 'auto_p'"
            + " AND table_name = '"
            + table
            + "' ORDER BY partition_name");
  }

  @Test
  void insertAndStreamLoadCreateTheirPartitions() throws Exception {
    try (StreamLoadClient client = new StreamLoadClient(server.httpPort())) {
      loadEventsAndCities(client);
    }
  }

  private static void loadEventsAndCities(StreamLoadClient client) throws Exception {
    server.execute(
        "INSERT INTO auto_p.events VALUES ('2024-01-05 10:00:00', 1, 1),"
            + " ('2024-01-31 23:59:59', 2, 2), ('2024-03-01 00:00:00', 3, 3)");
    assertThat(partitions("events")).containsExactly("p20240101000000", "p20240301000000");
    JsonNode answer =
        client.load(
            "auto_p",
            "events",
            headers("column_separator", ","),
            "2024-03-07 01:02:03,4,4\n2025-12-31 00:00:00,5,5\n");
    assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Success");
    assertThat(answer.get("NumberLoadedRows").asLong()).isEqualTo(2);
    assertThat(partitions("events"))
        .containsExactly("p20240101000000", "p20240301000000", "p20251201000000");
    assertThat(query("SELECT SUM(v) FROM events PARTITION (p20240301000000)")).containsExactly("7");
    assertThat(query("SELECT COUNT(*) FROM events WHERE dt >= '2025-01-01'")).containsExactly("1");

    server.execute("INSERT INTO auto_p.cities VALUES ('Beijing', 1, 1), ('New York', 2, 2)");
    JsonNode cities =
        client.load(
            "auto_p", "cities", headers("column_separator", ","), "Beijing,1,10\nParis,3,3\n");
    assertThat(cities.get("Status").asText()).as(cities.toString()).isEqualTo("Success");
    assertThat(partitions("cities")).containsExactly("pBeijing7", "pNew20York8", "pParis5");
    assertThat(query("SELECT city, id, v FROM cities ORDER BY id"))
        .containsExactly("Beijing|1|10", "New York|2|2", "Paris|3|3");
    assertThat(query("SHOW CREATE TABLE cities").get(0)).contains("AUTO PARTITION BY LIST(`city`)");
  }

  @Test
  void concurrentLoadsCreateEachPartitionOnce() throws Exception {
    server.execute(
        "CREATE TABLE auto_p.days (d DATE NOT NULL, writer INT NOT NULL, n INT NOT NULL)"
            + " DUPLICATE KEY(d) AUTO PARTITION BY RANGE (date_trunc(d, 'day')) ()"
            + " DISTRIBUTED BY HASH(n) BUCKETS 1");
    int writers = 6;
    int days = 12;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int writer = 0; writer < writers; writer++) {
        int id = writer;
        done.add(
            pool.submit(
                () -> {
                  for (int round = 0; round < 3; round++) {
                    StringBuilder sql = new StringBuilder("INSERT INTO auto_p.days VALUES ");
                    for (int day = 0; day < days; day++) {
                      sql.append(day == 0 ? "" : ", ")
                          .append("(DATE_ADD('2024-06-01', INTERVAL ")
                          .append((day + id + round) % days)
                          .append(" DAY), ")
                          .append(id)
                          .append(", ")
                          .append(round * days + day)
                          .append(')');
                    }
                    server.execute(sql.toString());
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(partitions("days")).hasSize(days);
    assertThat(query("SELECT COUNT(*), COUNT(DISTINCT d) FROM days"))
        .containsExactly(writers * 3 * days + "|" + days);
    server.restart();
    assertThat(partitions("days")).hasSize(days);
    assertThat(query("SELECT COUNT(*) FROM days"))
        .containsExactly(String.valueOf(writers * 3 * days));
  }
}
