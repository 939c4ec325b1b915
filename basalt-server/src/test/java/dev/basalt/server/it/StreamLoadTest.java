package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stream Load end to end: the JDK HTTP client and the real {@code curl} against an in-process
 * server, rows checked over JDBC. The server's load buffer is small (64 KiB) so that loads of a few
 * thousand rows already flush several segments per tablet.
 */
class StreamLoadTest {
  private static final long BUFFER_BYTES = 64 << 10;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TestServer server;
  private static HttpClient client;
  private static int tableNumber;
  private String table;

  @BeforeAll
  static void start() throws SQLException {
    server = TestServer.start(BUFFER_BYTES);
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    try (Connection connection = DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE load_db");
    }
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  /** Every test gets a fresh table {@code t<n>}: k INT key, v VARCHAR(10), d DATE, x DOUBLE. */
  @BeforeEach
  void createTable() throws SQLException {
    table = "t" + (++tableNumber);
    execute(
        "CREATE TABLE load_db."
            + table
            + " (k INT NOT NULL, v VARCHAR(10), d DATE, x DOUBLE DEFAULT '1.5')"
            + " DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 3");
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl("load_db", ""), "root", "");
  }

  private static void execute(String sql) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static List<String> query(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int c = 1; c <= columns; c++) {
          if (c > 1) {
            row.append('|');
          }
          row.append(result.getString(c));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  private List<String> rows() throws SQLException {
    return query("SELECT k, v, d, x FROM load_db." + table + " ORDER BY k, v");
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> put(String path, Map<String, String> headers, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
            .timeout(Duration.ofSeconds(60))
            .expectContinue(true)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    if (!headers.containsKey("Authorization")) {
      request.header("Authorization", basic("root", ""));
    }
    headers.forEach(request::header);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode load(Map<String, String> headers, String body) throws Exception {
    return load(headers, body.getBytes(StandardCharsets.UTF_8));
  }

  private JsonNode load(Map<String, String> headers, byte[] body) throws Exception {
    HttpResponse<String> response = put("/api/load_db/" + table + "/_stream_load", headers, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static Map<String, String> headers(String... namesAndValues) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  /**
   * A merge-on-write UNIQUE KEY table through Stream Load: the last row of a key in a load wins
   * (across the several segments the small buffer makes), and a later load replaces earlier rows.
   */
  @Test
  void uniqueTableUpsertsThroughStreamLoad() throws Exception {
    table = table + "_unique";
    execute(
        "CREATE TABLE load_db."
            + table
            + " (k INT NOT NULL, v VARCHAR(10), d DATE, x DOUBLE)"
            + " UNIQUE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 3");
    StringBuilder first = new StringBuilder();
    for (int round = 0; round < 3; round++) {
      for (int k = 0; k < 3000; k++) {
        first.append(k).append(",r").append(round).append(",2024-01-01,").append(k).append('\n');
      }
    }
    assertThat(load(headers("column_separator", ","), first.toString()).get("Status").asText())
        .isEqualTo("Success");
    assertThat(query("SELECT COUNT(*), MIN(v), MAX(v) FROM load_db." + table))
        .containsExactly("3000|r2|r2");
    assertThat(
            load(headers("column_separator", ","), "5,new,2024-02-02,0.5\n7000,added,\\N,1\n")
                .get("Status")
                .asText())
        .isEqualTo("Success");
    assertThat(query("SELECT COUNT(*) FROM load_db." + table)).containsExactly("3001");
    assertThat(query("SELECT k, v, d, x FROM load_db." + table + " WHERE k = 5"))
        .containsExactly("5|new|2024-02-02|0.5");
    assertThat(query("SELECT k, v FROM load_db." + table + " WHERE k IN (4, 7000) ORDER BY k"))
        .containsExactly("4|r2", "7000|added");
  }

  @Test
  void csvLoadAnswersDorisJsonAndRowsAreVisible() throws Exception {
    JsonNode answer =
        load(
            headers("label", "csv_first", "column_separator", ","),
            "1,one,2024-01-31,2.5\n2,two,2024-02-29,\\N\n3,three,\\N,-1e3\n");
    assertThat(answer.get("Status").asText()).isEqualTo("Success");
    assertThat(answer.get("Message").asText()).isEqualTo("OK");
    assertThat(answer.get("Label").asText()).isEqualTo("csv_first");
    assertThat(answer.get("TwoPhaseCommit").asText()).isEqualTo("false");
    assertThat(answer.get("NumberTotalRows").asLong()).isEqualTo(3);
    assertThat(answer.get("NumberLoadedRows").asLong()).isEqualTo(3);
    assertThat(answer.get("NumberFilteredRows").asLong()).isZero();
    assertThat(answer.get("NumberUnselectedRows").asLong()).isZero();
    assertThat(answer.get("LoadBytes").asLong()).isEqualTo(57);
    assertThat(answer.get("TxnId").asLong()).isPositive();
    assertThat(answer.has("ErrorURL")).isFalse();
    List<String> fields = new ArrayList<>();
    answer.fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .containsExactly(
            "TxnId",
            "Label",
            "Comment",
            "TwoPhaseCommit",
            "Status",
            "Message",
            "NumberTotalRows",
            "NumberLoadedRows",
            "NumberFilteredRows",
            "NumberUnselectedRows",
            "LoadBytes",
            "LoadTimeMs",
            "BeginTxnTimeMs",
            "StreamLoadPutTimeMs",
            "ReadDataTimeMs",
            "WriteDataTimeMs",
            "CommitAndPublishTimeMs");
    assertThat(rows())
        .containsExactly("1|one|2024-01-31|2.5", "2|two|2024-02-29|null", "3|three|null|-1000.0");
  }

  @Test
  void csvHeadersSeparatorsEncloseEscapeAndSkippedLines() throws Exception {
    // Hex separator, a two-byte line delimiter, one skipped line.
    JsonNode answer =
        load(
            headers("column_separator", "\\x01", "line_delimiter", "||", "skip_lines", "1"),
            "header\u0001x\u0001y\u0001z||1\u0001a\u00012024-01-01\u00011||2\u0001b\u0001\\N\u00012");
    assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Success");
    // Enclosed fields hold the separator and the delimiter; escape makes a quote literal.
    answer =
        load(
            headers("column_separator", ",", "enclose", "\"", "escape", "\\"),
            "3,\"c,d\",2024-01-03,3\n4,\"e\nf\",2024-01-04,4\n5,\"g\\\"h\",,5\n");
    assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Success");
    // trim_double_quotes drops one pair of quotes around a field.
    answer =
        load(
            headers("column_separator", "\\t", "trim_double_quotes", "true"),
            "6\t\"ij\"\t\"2024-01-06\"\t6\n");
    assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Success");
    // csv_with_names and csv_with_names_and_types skip their header lines.
    load(headers("column_separator", ",", "format", "csv_with_names"), "k,v,d,x\n7,kl,,7\n");
    load(
        headers("column_separator", ",", "format", "csv_with_names_and_types"),
        "k,v,d,x\nint,varchar,date,double\n8,mn,,8\n");
    assertThat(rows())
        .containsExactly(
            "1|a|2024-01-01|1.0",
            "2|b|null|2.0",
            "3|c,d|2024-01-03|3.0",
            "4|e\nf|2024-01-04|4.0",
            "5|g\"h|null|5.0",
            "6|ij|2024-01-06|6.0",
            "7|kl|null|7.0",
            "8|mn|null|8.0");
  }

  @Test
  void columnsHeaderMapsFieldsSkipsUnknownOnesAndFillsDefaults() throws Exception {
    JsonNode answer =
        load(headers("column_separator", ",", "columns", "v, skipped, k"), "a,zzz,1\nb,yyy,2\n");
    assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Success");
    // x has DEFAULT '1.5'; d has none and is nullable.
    assertThat(rows()).containsExactly("1|a|null|1.5", "2|b|null|1.5");
    // k is NOT NULL without a default: leaving it out fails the whole load.
    answer = load(headers("column_separator", ",", "columns", "v"), "c\n");
    assertThat(answer.get("Status").asText()).isEqualTo("Fail");
    assertThat(answer.get("Message").asText()).contains("Column has no default value. column: k");
  }

  @Test
  void jsonObjectsArraysLinesPathsAndRoot() throws Exception {
    JsonNode answer =
        load(
            headers("format", "json", "fuzzy_parse", "true", "timeout", "60", "timezone", "+08:00"),
            "{\"k\":1,\"v\":\"a\",\"x\":1.25}");
    assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Success");
    answer =
        load(
            headers("format", "json", "read_json_by_line", "true"),
            "{\"k\":2,\"V\":\"b\",\"d\":\"2024-03-01\"}\n{\"k\":3,\"v\":null,\"extra\":[1,2]}\n");
    assertThat(answer.get("NumberLoadedRows").asLong()).as(answer.toString()).isEqualTo(2);
    answer =
        load(
            headers("format", "json", "strip_outer_array", "true"),
            "[{\"k\":4,\"v\":\"d\"},{\"k\":5,\"v\":{\"n\":1}}]");
    assertThat(answer.get("NumberLoadedRows").asLong()).as(answer.toString()).isEqualTo(2);
    answer =
        load(
            headers(
                "format",
                "json",
                "strip_outer_array",
                "true",
                "json_root",
                "$.data",
                "jsonpaths",
                "[\"$.id\",\"$.info.name\"]",
                "columns",
                "k,v"),
            "{\"data\":[{\"id\":6,\"info\":{\"name\":\"f\"}},{\"id\":7,\"info\":{}}]}");
    assertThat(answer.get("NumberLoadedRows").asLong()).as(answer.toString()).isEqualTo(2);
    // An array without strip_outer_array is refused, as in Doris.
    answer = load(headers("format", "json"), "[{\"k\":8}]");
    assertThat(answer.get("Status").asText()).isEqualTo("Fail");
    assertThat(answer.get("Message").asText()).contains("strip_outer_array");
    assertThat(rows())
        .containsExactly(
            "1|a|null|1.25",
            "2|b|2024-03-01|1.5",
            "3|null|null|1.5",
            "4|d|null|1.5",
            "5|{\"n\":1}|null|1.5",
            "6|f|null|1.5",
            "7|null|null|1.5");
  }

  @Test
  void aReusedLabelLoadsNothingAndNamesTheEarlierLoad() throws Exception {
    JsonNode first = load(headers("label", "once", "column_separator", ","), "1,a,,1\n");
    assertThat(first.get("Status").asText()).isEqualTo("Success");
    JsonNode second = load(headers("label", "once", "column_separator", ","), "2,b,,2\n");
    assertThat(second.get("Status").asText()).isEqualTo("Label Already Exists");
    assertThat(second.get("ExistingJobStatus").asText()).isEqualTo("FINISHED");
    assertThat(second.get("Message").asText())
        .isEqualTo(
            "Label [once] has already been used, relate to txn [" + first.get("TxnId") + "]");
    assertThat(rows()).containsExactly("1|a|null|1.0");
  }

  @Test
  void rejectedRowsAreCountedAndServedAtTheErrorUrl() throws Exception {
    String body = "1,a,,1\nnot_a_number,b,,2\n3,c\n4,this is far too long,,4\n5,\\N,,5\n";
    // max_filter_ratio 0 (the default): the load fails, nothing is visible, the log is served.
    JsonNode failed = load(headers("column_separator", ","), body);
    assertThat(failed.get("Status").asText()).isEqualTo("Fail");
    assertThat(failed.get("Message").asText())
        .contains("[DATA_QUALITY_ERROR]too many filtered rows: 3 of 5 rows");
    assertThat(failed.get("NumberFilteredRows").asLong()).isEqualTo(3);
    assertThat(rows()).isEmpty();
    String errorUrl = failed.get("ErrorURL").asText();
    assertThat(errorUrl)
        .startsWith("http://127.0.0.1:" + server.httpPort() + "/api/_load_error_log");
    HttpResponse<String> log =
        client.send(
            HttpRequest.newBuilder(URI.create(errorUrl)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(log.statusCode()).isEqualTo(200);
    assertThat(log.body().lines().toList())
        .hasSize(3)
        .anySatisfy(line -> assertThat(line).startsWith("Line 2: ").contains("not_a_number"))
        .anySatisfy(line -> assertThat(line).startsWith("Line 3: ").contains("column number"))
        .anySatisfy(line -> assertThat(line).startsWith("Line 4: ").contains("longer than"));
    // The URL needs no credentials (as Doris's), so its name is a capability: 128 random bits.
    assertThat(errorUrl).matches(".*file=error_log_[0-9]+_[0-9a-f]{32}");
    HttpResponse<String> guessed =
        client.send(
            HttpRequest.newBuilder(URI.create(errorUrl.substring(0, errorUrl.length() - 24)))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(guessed.statusCode()).isEqualTo(400);
    // A ratio that allows them: the good rows load.
    JsonNode allowed = load(headers("column_separator", ",", "max_filter_ratio", "0.6"), body);
    assertThat(allowed.get("Status").asText()).isEqualTo("Success");
    assertThat(allowed.get("NumberLoadedRows").asLong()).isEqualTo(2);
    assertThat(allowed.get("NumberFilteredRows").asLong()).isEqualTo(3);
    assertThat(allowed.has("ErrorURL")).isTrue();
    assertThat(rows()).containsExactly("1|a|null|1.0", "5|null|null|5.0");
  }

  @Test
  void strictModeRejectsValuesThatDoNotConvertWhereNonStrictMakesThemNull() throws Exception {
    JsonNode lenient = load(headers("column_separator", ","), "1,a,not-a-date,oops\n");
    assertThat(lenient.get("Status").asText()).isEqualTo("Success");
    assertThat(rows()).containsExactly("1|a|null|null");
    JsonNode strict =
        load(headers("column_separator", ",", "strict_mode", "true"), "2,b,not-a-date,2\n");
    assertThat(strict.get("Status").asText()).isEqualTo("Fail");
    assertThat(strict.get("NumberFilteredRows").asLong()).isEqualTo(1);
    assertThat(strict.get("Message").asText()).contains("strict_mode");
  }

  @Test
  void compressedBodiesLoad() throws Exception {
    byte[] csv = "1,gz,,1\n".getBytes(StandardCharsets.UTF_8);
    assertThat(
            load(headers("column_separator", ",", "compress_type", "gz"), gzip(csv))
                .get("Status")
                .asText())
        .isEqualTo("Success");
    byte[] lz4 = compress(out -> new LZ4FrameOutputStream(out), "2,lz4,,2\n");
    assertThat(
            load(headers("column_separator", ",", "compress_type", "lz4"), lz4)
                .get("Status")
                .asText())
        .isEqualTo("Success");
    byte[] zstd = compress(ZstdOutputStream::new, "3,zstd,,3\n");
    assertThat(
            load(headers("column_separator", ",", "compress_type", "zstd"), zstd)
                .get("Status")
                .asText())
        .isEqualTo("Success");
    byte[] bz2 = compress(BZip2CompressorOutputStream::new, "4,bz2,,4\n");
    assertThat(
            load(headers("column_separator", ",", "compress_type", "bz2"), bz2)
                .get("Status")
                .asText())
        .isEqualTo("Success");
    JsonNode json =
        load(
            headers("format", "json", "compress_type", "gz"),
            gzip("{\"k\":5,\"v\":\"json\"}".getBytes(StandardCharsets.UTF_8)));
    assertThat(json.get("Status").asText()).isEqualTo("Success");
    JsonNode corrupt = load(headers("compress_type", "gz"), csv);
    assertThat(corrupt.get("Status").asText()).isEqualTo("Fail");
    assertThat(corrupt.get("Message").asText()).contains("not valid gz data");
    assertThat(rows())
        .containsExactly(
            "1|gz|null|1.0",
            "2|lz4|null|2.0",
            "3|zstd|null|3.0",
            "4|bz2|null|4.0",
            "5|json|null|1.5");
  }

  private interface Compressor {
    OutputStream wrap(OutputStream out) throws IOException;
  }

  private static byte[] compress(Compressor compressor, String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = compressor.wrap(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  @Test
  void badRequestsFailClearlyAndLoadNothing() throws Exception {
    HttpResponse<String> unknownDatabase =
        put("/api/nodb/" + table + "/_stream_load", headers(), "1\n".getBytes());
    assertThat(JSON.readTree(unknownDatabase.body()).get("Message").asText())
        .isEqualTo("Unknown database 'nodb'");
    HttpResponse<String> unknownTable =
        put("/api/load_db/nope/_stream_load", headers(), "1\n".getBytes());
    assertThat(JSON.readTree(unknownTable.body()).get("Status").asText()).isEqualTo("Fail");
    assertThat(JSON.readTree(unknownTable.body()).get("Message").asText())
        .isEqualTo("Table 'load_db.nope' doesn't exist");
    assertThat(load(headers("format", "xml"), "1").get("Message").asText())
        .contains("unknown data format, format=xml");
    assertThat(load(headers("strict_mode", "maybe"), "1").get("Message").asText())
        .contains("Invalid strict mode format. Must be bool type");
    assertThat(load(headers("max_filter_ratio", "2"), "1").get("Message").asText())
        .contains("max_filter_ratio");
    assertThat(load(headers("enclose", "ab"), "1").get("Message").asText())
        .contains("enclose must be single-char");
    assertThat(load(headers("timeout", "soon"), "1").get("Message").asText())
        .contains("Invalid value of header 'timeout'");
    assertThat(load(headers("timezone", "Mars/Olympus"), "1").get("Message").asText())
        .isEqualTo("Unknown or incorrect time zone: 'Mars/Olympus'");
    assertThat(load(headers("compress_type", "rar"), "1").get("Message").asText())
        .contains("'rar' is not one of gz, lz4, zstd, bz2");
    for (String[] unsupported :
        List.of(
            new String[] {"hidden_columns", "__DORIS_VERSION_COL__"},
            new String[] {"unique_key_update_mode", "UPDATE_FIXED_COLUMNS"})) {
      JsonNode answer = load(headers(unsupported[0], unsupported[1]), "1,a,,1\n");
      assertThat(answer.get("Status").asText()).isEqualTo("Fail");
      assertThat(answer.get("Message").asText())
          .contains("'" + unsupported[0] + "' is not supported yet");
    }
    JsonNode malformed = load(headers("format", "json"), "{\"k\":1}\n{\"k\": }");
    assertThat(malformed.get("Status").asText()).isEqualTo("Fail");
    assertThat(malformed.get("Message").asText()).contains("malformed JSON data at line 2");
    JsonNode empty = load(headers(), new byte[0]);
    assertThat(empty.get("Status").asText()).isEqualTo("Fail");
    assertThat(empty.get("Message").asText()).contains("The request body is empty");
    assertThat(rows()).isEmpty();
    // The server keeps serving.
    assertThat(load(headers("column_separator", ","), "9,ok,,9\n").get("Status").asText())
        .isEqualTo("Success");
  }

  @Test
  void aTruncatedBodyFailsTheLoadAndLoadsNothing() throws Exception {
    String head =
        "PUT /api/load_db/"
            + table
            + "/_stream_load HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
            + basic("root", "")
            + "\r\ncolumn_separator: ,\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n";
    String answer;
    try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.UTF_8));
      out.write("1,a,,1\n2,b,,2\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(answer).startsWith("HTTP/1.1 200");
    assertThat(answer)
        .contains("\"Status\" : \"Fail\"")
        .contains("Reading the request body failed");
    assertThat(rows()).isEmpty();
  }

  @Test
  void wrongCredentialsAre401() throws Exception {
    HttpResponse<String> wrong =
        put(
            "/api/load_db/" + table + "/_stream_load",
            headers("Authorization", basic("root", "wrong")),
            "1,a,,1\n".getBytes());
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(wrong.body()).get("Message").asText())
        .startsWith("Access denied for user 'root'@");
    HttpResponse<String> unknownUser =
        put(
            "/api/load_db/" + table + "/_stream_load",
            headers("Authorization", basic("nobody", "")),
            "1,a,,1\n".getBytes());
    assertThat(unknownUser.statusCode()).isEqualTo(401);
    // A user with a password.
    execute("CREATE USER loader IDENTIFIED BY 'secret'");
    execute("GRANT LOAD_PRIV ON load_db.* TO loader");
    HttpResponse<String> good =
        put(
            "/api/load_db/" + table + "/_stream_load",
            headers("Authorization", basic("loader", "secret"), "column_separator", ","),
            "1,a,,1\n".getBytes());
    assertThat(good.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(good.body()).get("Status").asText()).isEqualTo("Success");
    assertThat(rows()).containsExactly("1|a|null|1.0");
  }

  /**
   * The HTTP front door remembers a password that matched a caching_sha2_password hash (a PBKDF2
   * check per request otherwise), but only while the user's stored hash is the one it matched: a
   * changed password, and a dropped user, are refused at the very next load, on every plugin.
   */
  @Test
  void changedAndDroppedUsersAreRefusedAtTheNextLoad() throws Exception {
    for (String plugin : List.of("caching_sha2_password", "mysql_native_password")) {
      String user = plugin.startsWith("caching") ? "sha2_loader" : "native_loader";
      execute("CREATE USER " + user + " IDENTIFIED WITH " + plugin + " BY 'first-pw'");
      execute("GRANT LOAD_PRIV ON load_db.* TO " + user);
      for (int repeat = 0; repeat < 2; repeat++) {
        assertThat(loadAs(user, "first-pw", repeat + 1).statusCode()).as(plugin).isEqualTo(200);
      }
      assertThat(loadAs(user, "wrong-pw", 9).statusCode()).as(plugin).isEqualTo(401);
      execute("ALTER USER " + user + " IDENTIFIED BY 'second-pw'");
      HttpResponse<String> oldPassword = loadAs(user, "first-pw", 3);
      assertThat(oldPassword.statusCode()).as(plugin).isEqualTo(401);
      assertThat(JSON.readTree(oldPassword.body()).get("Message").asText())
          .startsWith("Access denied for user '" + user + "'@");
      assertThat(loadAs(user, "second-pw", 4).statusCode()).as(plugin).isEqualTo(200);
      assertThat(loadAs(user, "second-pw", 5).statusCode()).as(plugin).isEqualTo(200);
      // Changed back: the first password is good again, the second no longer.
      execute("ALTER USER " + user + " IDENTIFIED BY 'first-pw'");
      assertThat(loadAs(user, "second-pw", 9).statusCode()).as(plugin).isEqualTo(401);
      assertThat(loadAs(user, "first-pw", 6).statusCode()).as(plugin).isEqualTo(200);
      execute("DROP USER " + user);
      assertThat(loadAs(user, "first-pw", 9).statusCode()).as(plugin).isEqualTo(401);
      // The same name created again with another password: the dropped user's password is not.
      execute("CREATE USER " + user + " IDENTIFIED WITH " + plugin + " BY 'third-pw'");
      execute("GRANT LOAD_PRIV ON load_db.* TO " + user);
      assertThat(loadAs(user, "first-pw", 9).statusCode()).as(plugin).isEqualTo(401);
      assertThat(loadAs(user, "third-pw", 7).statusCode()).as(plugin).isEqualTo(200);
      execute("DROP USER " + user);
      assertThat(rows())
          .as(plugin)
          .containsExactly(
              "1|a|null|1.0",
              "2|a|null|1.0",
              "4|a|null|1.0",
              "5|a|null|1.0",
              "6|a|null|1.0",
              "7|a|null|1.0");
      execute("TRUNCATE TABLE load_db." + table);
    }
  }

  /** Loads the row {@code key,a,,1} as {@code user}. */
  private HttpResponse<String> loadAs(String user, String password, int key) throws Exception {
    return put(
        "/api/load_db/" + table + "/_stream_load",
        headers("Authorization", basic(user, password), "column_separator", ","),
        (key + ",a,,1\n").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aLoadBiggerThanTheBufferWritesSeveralSegmentsAndLaterRowsWinInUniqueTables()
      throws Exception {
    execute(
        "CREATE TABLE load_db.u_"
            + table
            + " (k INT NOT NULL, v BIGINT) UNIQUE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2");
    StringBuilder csv = new StringBuilder();
    int rows = 30_000;
    // Each key 0..999 appears 30 times; the last occurrence carries the largest v.
    for (int i = 0; i < rows; i++) {
      csv.append(i % 1000).append(',').append(i).append('\n');
    }
    HttpResponse<String> response =
        put(
            "/api/load_db/u_" + table + "/_stream_load",
            headers("column_separator", ","),
            csv.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(JSON.readTree(response.body()).get("NumberLoadedRows").asLong()).isEqualTo(rows);
    assertThat(query("SELECT count(*), sum(v) FROM load_db.u_" + table))
        .containsExactly("1000|" + (29_000L * 1000 + 999L * 1000 / 2));
    assertThat(query("SELECT v FROM load_db.u_" + table + " WHERE k = 7")).containsExactly("29007");
    try (Stream<Path> files = Files.walk(server.dataDirectory().resolve("data"))) {
      long segments = files.filter(path -> path.toString().endsWith(".bsg")).count();
      // 30,000 rows of about 18 buffered bytes each against a 64 KiB budget: many flushes.
      assertThat(segments).isGreaterThan(4);
    }
    // INSERT ... SELECT streams through the same transaction.
    execute(
        "CREATE TABLE load_db.copy_"
            + table
            + " (k INT NOT NULL, v BIGINT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2");
    execute("INSERT INTO load_db.copy_" + table + " SELECT k, v FROM load_db.u_" + table);
    assertThat(query("SELECT count(*), sum(v) FROM load_db.copy_" + table))
        .containsExactly("1000|" + (29_000L * 1000 + 999L * 1000 / 2));
  }

  @Test
  void concurrentLoadsIntoOneTableAllLand() throws Exception {
    int loads = 4;
    int rowsPerLoad = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(loads);
    try {
      List<Future<JsonNode>> answers = new ArrayList<>();
      for (int load = 0; load < loads; load++) {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < rowsPerLoad; i++) {
          csv.append(load * rowsPerLoad + i).append(",v,,1\n");
        }
        String label = "concurrent_" + table + "_" + load;
        answers.add(
            pool.submit(
                () -> load(headers("label", label, "column_separator", ","), csv.toString())));
      }
      for (Future<JsonNode> answer : answers) {
        assertThat(answer.get(60, TimeUnit.SECONDS).get("Status").asText()).isEqualTo("Success");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(query("SELECT count(*), count(DISTINCT k) FROM load_db." + table))
        .containsExactly((loads * rowsPerLoad) + "|" + (loads * rowsPerLoad));
  }

  @Test
  void curlLoadsAFileWithExpectContinue() throws Exception {
    Path file = Files.createTempFile("basalt-curl-", ".csv");
    try {
      StringBuilder csv = new StringBuilder();
      for (int i = 0; i < 5000; i++) {
        csv.append(i).append(",c").append(i % 10).append(",2024-05-01,").append(i).append('\n');
      }
      Files.writeString(file, csv);
      Process curl =
          new ProcessBuilder(
                  "curl",
                  "-sS",
                  "--location-trusted",
                  "-u",
                  "root:",
                  "-H",
                  "label:curl_" + table,
                  "-H",
                  "column_separator:,",
                  "-T",
                  file.toString(),
                  "http://127.0.0.1:"
                      + server.httpPort()
                      + "/api/load_db/"
                      + table
                      + "/_stream_load")
              .redirectErrorStream(true)
              .start();
      String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(curl.exitValue()).as(output).isZero();
      JsonNode answer = JSON.readTree(output);
      assertThat(answer.get("Status").asText()).as(output).isEqualTo("Success");
      assertThat(answer.get("NumberLoadedRows").asLong()).isEqualTo(5000);
      assertThat(query("SELECT count(*), sum(x), min(d) FROM load_db." + table))
          .containsExactly("5000|1.24975E7|2024-05-01");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void aChunkedBodyOfUnknownLengthLoads() throws Exception {
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      csv.append(i).append(",chunk,,1\n");
    }
    byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + server.httpPort()
                        + "/api/load_db/"
                        + table
                        + "/_stream_load"))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", basic("root", ""))
            .header("column_separator", ",")
            .PUT(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(bytes)))
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.get("Status").asText()).as(response.body()).isEqualTo("Success");
    assertThat(answer.get("LoadBytes").asLong()).isEqualTo(bytes.length);
    assertThat(query("SELECT count(*) FROM load_db." + table)).containsExactly("3000");
  }

  @Test
  void twoConcurrentLoadsWithOneLabelLoadOnce() throws Exception {
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      csv.append(i).append(",same,,1\n");
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<JsonNode>> answers = new ArrayList<>();
      for (int load = 0; load < 2; load++) {
        answers.add(
            pool.submit(
                () ->
                    load(
                        headers("label", "shared_" + table, "column_separator", ","),
                        csv.toString())));
      }
      List<String> statuses = new ArrayList<>();
      for (Future<JsonNode> answer : answers) {
        statuses.add(answer.get(60, TimeUnit.SECONDS).get("Status").asText());
      }
      assertThat(statuses).containsExactlyInAnyOrder("Success", "Label Already Exists");
    } finally {
      pool.shutdownNow();
    }
    assertThat(query("SELECT count(*) FROM load_db." + table)).containsExactly("20000");
  }

  @Test
  void columnExpressionsDeriveColumnsFromSourceFields() throws Exception {
    JsonNode answer =
        load(
            headers(
                "column_separator",
                ",",
                "columns",
                "k, tmp, day, v = concat('n', tmp), x = tmp * 10, d = date_add(day, 1)"),
            "1,5,2024-01-31\n2,7.5,2024-02-28\n3,\\N,2024-03-01\n");
    assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Success");
    assertThat(rows())
        .containsExactly(
            "1|n5|2024-02-01|50.0", "2|n7.5|2024-02-29|75.0", "3|null|2024-03-02|null");
    JsonNode bad = load(headers("column_separator", ",", "columns", "k, v = nosuch(k)"), "1\n");
    assertThat(bad.get("Status").asText()).isEqualTo("Fail");
    assertThat(bad.get("Message").asText()).containsIgnoringCase("nosuch");
  }
}
