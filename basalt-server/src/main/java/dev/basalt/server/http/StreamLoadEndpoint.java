package dev.basalt.server.http;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.load.TableWriter;
import dev.basalt.load.streamload.StreamLoadOptions;
import dev.basalt.load.streamload.StreamLoadRecords;
import dev.basalt.load.streamload.StreamLoadResult;
import dev.basalt.load.streamload.StreamLoader;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.LoadRecord;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.server.audit.AuditLog;
import dev.basalt.server.engine.AccessControl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Doris's Stream Load over HTTP: {@code PUT /api/{db}/{table}/_stream_load} (answered directly, no
 * redirect), {@code PUT /api/{db}/_stream_load_2pc} (commit or abort a pre-committed load) and
 * {@code GET /api/_load_error_log?file=<name>} for the rejected rows a load reports in {@code
 * ErrorURL}.
 *
 * <p>A load request is checked in this order, each failure answered without reading the body: HTTP
 * Basic credentials against the catalog's users (401 when wrong), the database and table, the
 * headers, the label (a used label answers {@code Label Already Exists}). Then the body is read as
 * it arrives ({@code 100 Continue} is sent on the first read) by a {@link StreamLoader} on the
 * request's thread, which blocks. Requests come through {@link #handle} from Jetty, or through
 * {@link #serve} from a {@link KeptAliveLoadConnection}, which reads plain loads without Jetty. The
 * answer is HTTP 200 with Doris's JSON (see docs/stream-load.md). Thread safe: each request runs on
 * its own thread.
 */
public final class StreamLoadEndpoint {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(StreamLoadEndpoint.class);
  private static final Pattern ERROR_LOG_NAME = Pattern.compile("error_log_[0-9]+_[0-9a-f]{32}");

  private final Catalog catalog;
  private final AccessControl access;
  private final AuditLog auditLog;
  private final StreamLoader loader;
  private final TableWriter writer;
  private final HttpAuthentication authentication;
  private final StreamLoadRecords records;

  /**
   * @param access checks that the authenticated user holds LOAD_PRIV on the target table
   * @param auditLog records every load that got past authentication
   * @param writer commits and aborts pre-committed loads ({@code _stream_load_2pc})
   * @param records remembers every load that got past authentication ({@code SHOW STREAM LOAD})
   */
  public StreamLoadEndpoint(
      Catalog catalog,
      StreamLoader loader,
      TableWriter writer,
      AccessControl access,
      AuditLog auditLog,
      StreamLoadRecords records) {
    this.records = records;
    this.catalog = catalog;
    this.writer = writer;
    this.authentication = new HttpAuthentication(catalog);
    this.access = access;
    this.auditLog = auditLog;
    this.loader = loader;
  }

  /** Whether this endpoint serves {@code path}. */
  static boolean serves(String path) {
    return LoadPath.parse(path) != null || path.equals("/api/_load_error_log");
  }

  /**
   * The database and table of {@code /api/{db}/{table}/_stream_load} (not decoded), or of {@code
   * /api/{db}[/{table}]/_stream_load_2pc} ({@code twoPhase}, table null when absent). Parsed by
   * hand: two regular expressions per request were a sixtieth of a 10-row load's server CPU.
   */
  record LoadPath(String database, String table, boolean twoPhase) {
    private static final String PREFIX = "/api/";
    private static final String LOAD = "_stream_load";
    private static final String TWO_PHASE = "_stream_load_2pc";

    /** The path's parts, or null when it is neither kind of load path. */
    static LoadPath parse(String path) {
      if (!path.startsWith(PREFIX)) {
        return null;
      }
      int first = path.indexOf('/', PREFIX.length());
      if (first <= PREFIX.length()) {
        return null;
      }
      int second = path.indexOf('/', first + 1);
      String database = path.substring(PREFIX.length(), first);
      if (second < 0) {
        // /api/{db}/_stream_load_2pc
        return path.regionMatches(first + 1, TWO_PHASE, 0, TWO_PHASE.length())
                && path.length() == first + 1 + TWO_PHASE.length()
            ? new LoadPath(database, null, true)
            : null;
      }
      if (second == first + 1 || path.indexOf('/', second + 1) >= 0) {
        return null;
      }
      String last = path.substring(second + 1);
      boolean twoPhase = last.equals(TWO_PHASE);
      if (!twoPhase && !last.equals(LOAD)) {
        return null;
      }
      return new LoadPath(database, path.substring(first + 1, second), twoPhase);
    }
  }

  /** Serves a request on a path for which {@link #serves} is true; completes the callback. */
  void handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (path.equals("/api/_load_error_log")) {
      errorLog(request, response, callback);
      return;
    }
    serve(LoadPath.parse(path), new JettyExchange(request, response, callback));
  }

  /**
   * Serves a load or {@code _stream_load_2pc} request on {@code loadPath} (from {@link
   * LoadPath#parse}); blocks on the request's thread while the body is read and the load runs, and
   * answers through {@link LoadExchange#reply} exactly once.
   */
  void serve(LoadPath loadPath, LoadExchange exchange) {
    boolean twoPhase = loadPath.twoPhase();
    if (!"PUT".equals(exchange.method())) {
      reply(
          exchange,
          HttpStatus.METHOD_NOT_ALLOWED_405,
          "Allow",
          "PUT",
          answer(
              StreamLoader.failure(
                  null, "Method " + exchange.method() + " is not allowed; use PUT")));
      return;
    }
    // A shared catalog: a table another front end just created is found.
    catalog.refresh();
    String database = decode(loadPath.database());
    String tableName = loadPath.table() == null ? null : decode(loadPath.table());
    Map<String, String> headers = exchange.headers();
    String clientHost = exchange.clientHost();
    HttpAuthentication.Credentials credentials =
        HttpAuthentication.credentials(headers.get("authorization"));
    String denied = authentication.denial(credentials, clientHost);
    if (denied == null && twoPhase) {
      reply(
          exchange,
          HttpStatus.OK_200,
          null,
          null,
          twoPhaseCommit(database, headers, credentials.user(), clientHost));
      return;
    }
    if (denied != null) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("Status", StreamLoadResult.FAIL);
      body.put("Message", denied);
      body.put("msg", "Unauthorized");
      body.put("code", 401);
      body.put("data", denied);
      body.put("count", 0);
      reply(
          exchange,
          HttpStatus.UNAUTHORIZED_401,
          "WWW-Authenticate",
          "Basic realm=\"Basalt\"",
          body);
      return;
    }
    String user = credentials.user();
    long startTime = System.currentTimeMillis();
    String label = headers.get("label");
    StreamLoadResult result;
    TableMeta loaded = null;
    try {
      TableMeta table = catalog.existingTable(database, tableName);
      access.checkLoad(user, clientHost, database, tableName);
      loaded = table; // a load into it from here on, failed or not
      StreamLoadOptions options = StreamLoadOptions.parse(headers);
      Optional<LoadRecord> existing = loader.existingLabel(table, options.label());
      if (existing.isPresent()) {
        result = StreamLoader.labelAlreadyExists(existing.get(), options);
      } else {
        try (InputStream body = exchange.body()) {
          result = loader.load(table, options, body, exchange.contentLength(), user);
        }
      }
    } catch (BasaltException e) {
      result = StreamLoader.failure(label, e.getMessage());
    } catch (IOException e) {
      result = StreamLoader.failure(label, "Closing the request body failed: " + e.getMessage());
    }
    auditLog.record(
        new AuditLog.Entry(
            String.valueOf(result.transactionId()),
            0,
            user,
            clientHost,
            database,
            "STREAM LOAD",
            "PUT /api/" + database + "/" + tableName + "/_stream_load label=" + result.label(),
            StreamLoadResult.SUCCESS.equals(result.status())
                ? 0
                : ErrorCode.ANALYSIS_ERROR.mysqlErrorNumber(),
            result.loadedRows(),
            result.loadTimeMs()));
    Map<String, Object> body = answer(result);
    String errorUrl = "";
    if (result.errorLogFile() != null) {
      errorUrl =
          "http://"
              + exchange.serverAuthority()
              + "/api/_load_error_log?file="
              + result.errorLogFile();
      body.put("ErrorURL", errorUrl);
    }
    if (loaded != null && StreamLoadResult.FAIL.equals(result.status())) {
      recordFailure(loaded, result, user, startTime);
    }
    records.add(
        new StreamLoadRecords.Entry(
            database,
            tableName,
            clientHost,
            user,
            errorUrl,
            result,
            startTime,
            System.currentTimeMillis()));
    reply(exchange, HttpStatus.OK_200, null, null, body);
  }

  /** A request Jetty read: {@link LoadExchange} over Jetty's request, response and callback. */
  private static final class JettyExchange implements LoadExchange {
    private final Request request;
    private final Response response;
    private final Callback callback;

    JettyExchange(Request request, Response response, Callback callback) {
      this.request = request;
      this.response = response;
      this.callback = callback;
    }

    @Override
    public String method() {
      return request.getMethod();
    }

    @Override
    public Map<String, String> headers() {
      // Names in lower case (StreamLoadOptions.parse asks for them so), the first of repeated ones.
      Map<String, String> headers = HashMap.newHashMap(request.getHeaders().size());
      for (HttpField field : request.getHeaders()) {
        headers.putIfAbsent(field.getLowerCaseName(), field.getValue());
      }
      return headers;
    }

    @Override
    public String clientHost() {
      return Request.getRemoteAddr(request);
    }

    @Override
    public String serverAuthority() {
      return Request.getServerName(request) + ":" + Request.getServerPort(request);
    }

    @Override
    public long contentLength() {
      return request.getLength();
    }

    @Override
    public InputStream body() {
      return Content.Source.asInputStream(request);
    }

    @Override
    public void reply(int status, String headerName, String headerValue, String json) {
      if (headerName != null) {
        response.getHeaders().put(headerName, headerValue);
      }
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
      response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
    }
  }

  /**
   * Records a failed Stream Load into an existing table for SHOW LOAD (CANCELLED, with the message
   * and the error log when rows were filtered). A repeated label ("Label Already Exists") is not a
   * load and is not recorded.
   */
  private void recordFailure(
      TableMeta table, StreamLoadResult result, String user, long startTime) {
    try {
      catalog.recordFailedLoad(
          table.databaseId(),
          table.id(),
          result.label(),
          result.message(),
          new dev.basalt.meta.catalog.LoadInfo(
              dev.basalt.meta.catalog.LoadInfo.STREAM_LOAD,
              user,
              startTime,
              result.filteredRows(),
              result.unselectedRows(),
              result.loadBytes(),
              result.errorLogFile() == null ? "" : result.errorLogFile(),
              result.comment() == null ? "" : result.comment()));
    } catch (RuntimeException notRecorded) {
      LOG.warn("could not record the failed load {}", result.label(), notRecorded);
    }
  }

  /**
   * {@code PUT /api/{db}/_stream_load_2pc} (or {@code /api/{db}/{table}/_stream_load_2pc}, the
   * table is ignored as Doris does): commits or aborts a pre-committed load named by the {@code
   * txn_id} or {@code label} header, as {@code txn_operation} says. Answers Doris's {@code
   * {"status": "Success" | "Fail", "msg": ...}}.
   */
  private Map<String, Object> twoPhaseCommit(
      String database, Map<String, String> headers, String user, String clientHost) {
    String transactionHeader = headers.get("txn_id");
    String label = headers.get("label");
    String operation = headers.get("txn_operation");
    long transactionId = -1;
    String message;
    boolean success = false;
    try {
      if (transactionHeader == null && label == null) {
        throw new TwoPhaseRequestException("No transaction id or label selected.");
      }
      if (operation == null) {
        throw new TwoPhaseRequestException(
            "No transaction operation('commit' or 'abort') selected.");
      }
      operation = operation.strip().toLowerCase(java.util.Locale.ROOT);
      if (!operation.equals("commit") && !operation.equals("abort")) {
        throw new TwoPhaseRequestException("transaction operation should be 'commit' or 'abort'");
      }
      long databaseId =
          catalog
              .database(database)
              .orElseThrow(() -> new BasaltException(ErrorCode.UNKNOWN_DATABASE, database))
              .id();
      if (transactionHeader != null) {
        try {
          transactionId = Long.parseLong(transactionHeader.strip());
        } catch (NumberFormatException e) {
          throw new TwoPhaseRequestException("convert txn_id [" + transactionHeader + "] failed");
        }
      } else {
        String wanted = label.strip();
        transactionId =
            catalog
                .label(databaseId, wanted)
                .map(LoadRecord::transactionId)
                .or(
                    () ->
                        catalog.twoPhaseLoad(databaseId, wanted).map(load -> load.transactionId()))
                .orElseThrow(
                    () ->
                        new TwoPhaseRequestException(
                            "errCode = 2, detailMessage = label [" + wanted + "] not found"));
      }
      long id = transactionId;
      Long tableId =
          catalog
              .twoPhaseLoad(transactionId)
              .map(load -> load.tableId())
              .orElseGet(
                  () ->
                      catalog.loadRecords(databaseId).stream()
                          .filter(record -> record.transactionId() == id)
                          .map(LoadRecord::tableId)
                          .findFirst()
                          .orElse(null));
      if (tableId != null) {
        Optional<TableMeta> table = catalog.tableById(tableId);
        if (table.isPresent()) {
          access.checkLoad(user, clientHost, database, table.get().name());
        }
      }
      if (operation.equals("commit")) {
        writer.commitPrecommitted(databaseId, transactionId);
      } else {
        writer.abortPrecommitted(databaseId, transactionId, "User Abort");
      }
      success = true;
      message = "transaction [" + transactionId + "] " + operation + " successfully.";
    } catch (BasaltException e) {
      message = e.getMessage();
    } catch (TwoPhaseRequestException e) {
      message = e.getMessage();
    } catch (RuntimeException e) {
      LOG.error("_stream_load_2pc of transaction {} failed", transactionId, e);
      message = ErrorCode.INTERNAL_ERROR.format("txn " + transactionId, e.toString());
    }
    auditLog.record(
        new AuditLog.Entry(
            String.valueOf(transactionId),
            0,
            user,
            clientHost,
            database,
            "STREAM LOAD 2PC",
            "PUT /api/" + database + "/_stream_load_2pc txn_operation=" + operation,
            success ? 0 : ErrorCode.ANALYSIS_ERROR.mysqlErrorNumber(),
            0,
            0));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", success ? StreamLoadResult.SUCCESS : StreamLoadResult.FAIL);
    body.put("msg", message);
    return body;
  }

  /** A {@code _stream_load_2pc} request whose headers do not say what to do. */
  private static final class TwoPhaseRequestException extends Exception {
    TwoPhaseRequestException(String message) {
      super(message, null, false, false);
    }
  }

  /** The response JSON in Doris's field order ({@code ErrorURL} is added by the caller). */
  static Map<String, Object> answer(StreamLoadResult result) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("TxnId", result.transactionId());
    body.put("Label", result.label());
    body.put("Comment", result.comment());
    if (result.groupCommit()) {
      // Doris answers a group-commit load with GroupCommit in place of TwoPhaseCommit, and
      // without the transaction timings (the group's commit comes later, for many loads).
      body.put("GroupCommit", true);
    } else {
      body.put("TwoPhaseCommit", String.valueOf(result.twoPhaseCommit()));
    }
    body.put("Status", result.status());
    if (result.existingJobStatus() != null) {
      body.put("ExistingJobStatus", result.existingJobStatus());
    }
    body.put("Message", result.message());
    body.put("NumberTotalRows", result.totalRows());
    body.put("NumberLoadedRows", result.loadedRows());
    body.put("NumberFilteredRows", result.filteredRows());
    body.put("NumberUnselectedRows", result.unselectedRows());
    body.put("LoadBytes", result.loadBytes());
    body.put("LoadTimeMs", result.loadTimeMs());
    if (!result.groupCommit()) {
      body.put("BeginTxnTimeMs", result.beginTransactionTimeMs());
    }
    body.put("StreamLoadPutTimeMs", result.streamLoadPutTimeMs());
    body.put("ReadDataTimeMs", result.readDataTimeMs());
    body.put("WriteDataTimeMs", result.writeDataTimeMs());
    if (!result.groupCommit()) {
      body.put("CommitAndPublishTimeMs", result.commitAndPublishTimeMs());
    }
    return body;
  }

  private void errorLog(Request request, Response response, Callback callback) {
    String name = Request.extractQueryParameters(request).getValue("file");
    if (name == null || !ERROR_LOG_NAME.matcher(name).matches()) {
      replyText(response, callback, HttpStatus.BAD_REQUEST_400, "No such error log: " + name);
      return;
    }
    Path file = loader.errorLogDirectory().resolve(name);
    try {
      byte[] bytes = Files.readAllBytes(file);
      response.setStatus(HttpStatus.OK_200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      response.write(true, ByteBuffer.wrap(bytes), callback);
    } catch (NoSuchFileException e) {
      replyText(response, callback, HttpStatus.NOT_FOUND_404, "No such error log: " + name);
    } catch (IOException e) {
      replyText(
          response,
          callback,
          HttpStatus.INTERNAL_SERVER_ERROR_500,
          "Cannot read error log " + name + ": " + e.getMessage());
    }
  }

  private static String decode(String segment) {
    return segment.indexOf('%') < 0 && segment.indexOf('+') < 0
        ? segment
        : java.net.URLDecoder.decode(segment, StandardCharsets.UTF_8);
  }

  private static void reply(
      LoadExchange exchange,
      int status,
      String headerName,
      String headerValue,
      Map<String, Object> body) {
    exchange.reply(status, headerName, headerValue, IndentedJson.write(body) + "\n");
  }

  private static void replyText(Response response, Callback callback, int status, String text) {
    HttpReplies.text(response, callback, status, "text/plain; charset=utf-8", text);
  }
}
