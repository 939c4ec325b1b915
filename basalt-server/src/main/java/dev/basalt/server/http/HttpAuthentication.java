package dev.basalt.server.http;

import dev.basalt.common.error.ErrorCode;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.Passwords;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * HTTP Basic authentication against the catalog's users (the {@code mysql_native_password} hashes
 * the MySQL port uses), shared by the HTTP endpoints. Thread safe.
 */
final class HttpAuthentication {
  /** HTTP Basic credentials as sent. */
  record Credentials(String user, String password) {}

  private final Catalog catalog;

  HttpAuthentication(Catalog catalog) {
    this.catalog = catalog;
  }

  /** The Basic credentials of an Authorization header, or {@code null} when there are none. */
  static Credentials credentials(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).strip()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    return colon < 0
        ? new Credentials(decoded, "")
        : new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
  }

  /**
   * Checks credentials against the catalog's users; returns null when they are good, else the
   * message for the 401 answer.
   */
  String denial(Credentials credentials, String clientHost) {
    if (credentials == null) {
      return "no valid Basic authorization";
    }
    Optional<byte[]> stored = catalog.passwordHash(credentials.user());
    boolean good = stored.isPresent() && Passwords.matches(stored.get(), credentials.password());
    return good
        ? null
        : ErrorCode.ACCESS_DENIED.format(
            credentials.user(), clientHost, credentials.password().isEmpty() ? "NO" : "YES");
  }
}
