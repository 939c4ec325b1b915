package dev.basalt.server.http;

import static dev.basalt.server.http.HttpReplies.error;
import static dev.basalt.server.http.HttpReplies.json;
import static dev.basalt.server.http.HttpReplies.success;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.HiddenColumns;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.server.engine.AccessControl;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The Doris front-end REST endpoints the Flink and Spark Doris connectors call before they write
 * (docs/stream-load.md, Connectors), in Doris's envelope {@code {"msg": "success", "code": 0,
 * "data": ..., "count": 0}} (errors: {@code code} 1 or 401 and the message in {@code data}, HTTP
 * status 200 as Doris does, except 401 for bad credentials):
 *
 * <ul>
 *   <li>{@code GET /api/backends[?is_alive=true]}: the one backend, this server, with the HTTP port
 *       the request came in on (where Stream Load is served).
 *   <li>{@code GET /api/{db}/{table}/_schema} (and {@code /api/internal/{db}/{table}/_schema}): the
 *       table's key model and columns; needs SELECT on the table.
 * </ul>
 *
 * Both need HTTP Basic credentials. Thread safe.
 */
public final class ConnectorEndpoints {
  private static final Pattern SCHEMA_PATH =
      Pattern.compile("/api/(?:([^/]+)/)?([^/]+)/([^/]+)/_schema");

  private final Catalog catalog;
  private final AccessControl access;
  private final HttpAuthentication authentication;

  public ConnectorEndpoints(Catalog catalog, AccessControl access) {
    this.catalog = catalog;
    this.access = access;
    this.authentication = new HttpAuthentication(catalog);
  }

  /** Whether this endpoint serves {@code path}. */
  static boolean serves(String path) {
    return path.equals("/api/backends") || SCHEMA_PATH.matcher(path).matches();
  }

  /** Serves a request on a path for which {@link #serves} is true; completes the callback. */
  void handle(Request request, Response response, Callback callback) {
    if (!"GET".equals(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET");
      json(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, error(1, "use GET"));
      return;
    }
    String clientHost = Request.getRemoteAddr(request);
    HttpAuthentication.Credentials credentials =
        HttpAuthentication.credentials(request.getHeaders().get(HttpHeader.AUTHORIZATION));
    String denied = authentication.denial(credentials, clientHost);
    if (denied != null) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"Basalt\"");
      json(response, callback, HttpStatus.UNAUTHORIZED_401, error(401, denied));
      return;
    }
    String path = Request.getPathInContext(request);
    Map<String, Object> body;
    if (path.equals("/api/backends")) {
      body = success(backends(request));
    } else {
      Matcher matcher = SCHEMA_PATH.matcher(path);
      matcher.matches();
      try {
        body = success(schema(matcher, credentials.user(), clientHost));
      } catch (BasaltException e) {
        body = error(1, e.getMessage());
      }
    }
    json(response, callback, HttpStatus.OK_200, body);
  }

  private static Map<String, Object> backends(Request request) {
    Map<String, Object> backend = new LinkedHashMap<>();
    backend.put("ip", Request.getLocalAddr(request));
    backend.put("http_port", Request.getLocalPort(request));
    backend.put("is_alive", true);
    return Map.of("backends", List.of(backend));
  }

  private Map<String, Object> schema(Matcher matcher, String user, String clientHost) {
    String catalogName = matcher.group(1);
    String database = decode(matcher.group(2));
    String tableName = decode(matcher.group(3));
    if (catalogName != null && !catalogName.equals("internal")) {
      throw new BasaltException(
          ErrorCode.ANALYSIS_ERROR, "Unknown catalog '" + decode(catalogName) + "'");
    }
    TableMeta table = catalog.existingTable(database, tableName);
    access.checkSelect(user, clientHost, database, tableName);
    List<Map<String, Object>> properties = new ArrayList<>();
    for (ColumnMeta column : HiddenColumns.visible(table)) {
      Map<String, Object> property = new LinkedHashMap<>();
      DataType type = column.type();
      property.put("type", dorisTypeName(type));
      property.put("name", column.name());
      property.put("comment", column.comment() == null ? "" : column.comment());
      if (type.kind() == dev.basalt.common.type.TypeKind.DECIMAL) {
        property.put("precision", String.valueOf(type.precision()));
        property.put("scale", String.valueOf(type.scale()));
      }
      property.put("aggregation_type", aggregationType(table, column));
      properties.add(property);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("properties", properties);
    data.put("keysType", table.keysType().name());
    data.put("status", 200);
    return data;
  }

  /** The primitive type name Doris's {@code _schema} reports (its V2/V3 storage types). */
  static String dorisTypeName(DataType type) {
    return switch (type.kind()) {
      case DATE -> "DATEV2";
      case DATETIME -> "DATETIMEV2";
      case DECIMAL ->
          type.precision() <= 9 ? "DECIMAL32" : type.precision() <= 18 ? "DECIMAL64" : "DECIMAL128";
      default -> type.kind().name();
    };
  }

  private static String aggregationType(TableMeta table, ColumnMeta column) {
    if (column.key() || table.keysType() == KeysType.DUP_KEYS) {
      return "";
    }
    if (table.keysType() == KeysType.UNIQUE_KEYS) {
      return "REPLACE";
    }
    return column.aggregation().name().toUpperCase(Locale.ROOT);
  }

  private static String decode(String segment) {
    return java.net.URLDecoder.decode(segment, StandardCharsets.UTF_8);
  }
}
