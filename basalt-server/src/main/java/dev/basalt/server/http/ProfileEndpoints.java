package dev.basalt.server.http;

import static dev.basalt.server.http.HttpReplies.error;
import static dev.basalt.server.http.HttpReplies.json;
import static dev.basalt.server.http.HttpReplies.success;
import static dev.basalt.server.http.HttpReplies.text;

import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.privilege.AccessRights;
import dev.basalt.meta.privilege.Privilege;
import dev.basalt.meta.privilege.PrivilegeLevel;
import dev.basalt.server.profile.QueryProfileStore;
import dev.basalt.server.profile.StoredProfile;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Doris's query profile endpoints over the profiles kept by {@code enable_profile} (docs/sql.md,
 * "Query profiles"), all GET with HTTP Basic credentials:
 *
 * <ul>
 *   <li>{@code /api/profile?query_id=ID}: {@code {"msg": "success", "code": 0, "data": {"profile":
 *       text}, "count": 0}};
 *   <li>{@code /api/profile/text?query_id=ID}: the same text as {@code text/plain};
 *   <li>{@code /rest/v1/query_profile}: the kept profiles, newest first, as {@code {"data":
 *       {"column_names": [...], "rows": [{column: value}, ...]}}}.
 * </ul>
 *
 * A user reads the profiles of their own queries; root and holders of ADMIN read all. Bad or
 * missing credentials answer 401, another user's profile 403, an unknown (or evicted) id 404, each
 * with the message in {@code data}. Thread safe.
 */
public final class ProfileEndpoints {

  private final Catalog catalog;
  private final QueryProfileStore profiles;
  private final HttpAuthentication authentication;

  public ProfileEndpoints(Catalog catalog, QueryProfileStore profiles) {
    this.catalog = catalog;
    this.profiles = profiles;
    this.authentication = new HttpAuthentication(catalog);
  }

  /** Whether this endpoint serves {@code path}. */
  static boolean serves(String path) {
    return path.equals("/api/profile")
        || path.equals("/api/profile/text")
        || path.equals("/rest/v1/query_profile");
  }

  /** Serves a request on a path for which {@link #serves} is true; completes the callback. */
  void handle(Request request, Response response, Callback callback) {
    if (!"GET".equals(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET");
      json(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, error(405, "use GET"));
      return;
    }
    HttpAuthentication.Credentials credentials =
        HttpAuthentication.credentials(request.getHeaders().get(HttpHeader.AUTHORIZATION));
    String denied = authentication.denial(credentials, Request.getRemoteAddr(request));
    if (denied != null) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"Basalt\"");
      json(response, callback, HttpStatus.UNAUTHORIZED_401, error(401, denied));
      return;
    }
    String user = credentials.user();
    boolean admin = isAdmin(user);
    String path = Request.getPathInContext(request);
    if (path.equals("/rest/v1/query_profile")) {
      json(response, callback, HttpStatus.OK_200, success(list(user, admin)));
      return;
    }
    Fields parameters = Request.extractQueryParameters(request);
    String queryId = parameters.getValue("query_id");
    if (queryId == null || queryId.isBlank()) {
      json(response, callback, HttpStatus.BAD_REQUEST_400, error(400, "query_id is required"));
      return;
    }
    Optional<StoredProfile> found = profiles.get(queryId.strip());
    if (found.isEmpty()) {
      json(
          response,
          callback,
          HttpStatus.NOT_FOUND_404,
          error(
              404,
              "Profile of query "
                  + queryId
                  + " not found: run the query with SET enable_profile = true; only the last "
                  + profiles.capacity()
                  + " profiles are kept"));
      return;
    }
    StoredProfile profile = found.get();
    if (!admin && !profile.user().equals(user)) {
      json(
          response,
          callback,
          HttpStatus.FORBIDDEN_403,
          error(
              403,
              "Access denied: the profile of query "
                  + queryId
                  + " belongs to another user; only its user or an administrator (ADMIN) may"
                  + " read it"));
      return;
    }
    String text = profile.text(ZoneId.systemDefault());
    if (path.equals("/api/profile/text")) {
      text(response, callback, HttpStatus.OK_200, "text/plain; charset=utf-8", text);
    } else {
      json(response, callback, HttpStatus.OK_200, success(Map.of("profile", text)));
    }
  }

  private boolean isAdmin(String user) {
    AccessRights rights = catalog.accessRights(user);
    return rights.isSuperuser() || rights.has(Privilege.ADMIN, PrivilegeLevel.GLOBAL);
  }

  private Map<String, Object> list(String user, boolean admin) {
    ZoneId zone = ZoneId.systemDefault();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (StoredProfile profile : profiles.newestFirst()) {
      if (!admin && !profile.user().equals(user)) {
        continue;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      List<String> values = profile.listRow(zone);
      for (int column = 0; column < values.size(); column++) {
        row.put(StoredProfile.LIST_COLUMNS.get(column), values.get(column));
      }
      rows.add(row);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("column_names", StoredProfile.LIST_COLUMNS);
    data.put("rows", rows);
    return data;
  }
}
