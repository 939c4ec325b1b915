package dev.basalt.server.http;

import dev.basalt.common.error.ErrorCode;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.Passwords;
import dev.basalt.meta.catalog.UserMeta;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP Basic authentication against the catalog's users (the {@code mysql_native_password} and
 * {@code caching_sha2_password} hashes the MySQL port uses), shared by the HTTP endpoints. Thread
 * safe.
 *
 * <p>Every request carries the password, and a {@code caching_sha2_password} hash is PBKDF2 with
 * 5,000 rounds: about 5 ms of CPU per check, a hundred times a 10-row load's whole cost. So a
 * password that matched such a hash is remembered, per user, as a salted SHA-256 digest (never in
 * clear) together with the stored hash it matched; a later request with the same password costs one
 * SHA-256. An entry counts only while the user's stored hash is still the one it matched, so ALTER
 * USER, SET PASSWORD and DROP USER (here or on another front end of a shared catalog) take effect
 * at the next request without any hook, as {@code server.mysql.CachingSha2Password}'s cache does. A
 * {@code mysql_native_password} hash (two SHA-1s) is cheaper to check than to look up, so it is not
 * cached.
 */
final class HttpAuthentication {
  /** HTTP Basic credentials as sent. */
  record Credentials(String user, String password) {}

  /** A password that matched {@code storedHash}, as its salted digest. */
  private record Verified(byte[] storedHash, byte[] passwordDigest) {}

  private final Catalog catalog;
  private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

  /** Salts the remembered digests, so that they are not a plain hash of the password. */
  private final byte[] salt = new byte[16];

  HttpAuthentication(Catalog catalog) {
    this.catalog = catalog;
    new SecureRandom().nextBytes(salt);
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
    return matches(credentials)
        ? null
        : ErrorCode.ACCESS_DENIED.format(
            credentials.user(), clientHost, credentials.password().isEmpty() ? "NO" : "YES");
  }

  private boolean matches(Credentials credentials) {
    Optional<UserMeta> user = catalog.user(credentials.user());
    if (user.isEmpty()) {
      verified.remove(credentials.user());
      return false;
    }
    // The record's own array (not a copy): only read here.
    byte[] stored = user.get().passwordHash();
    if (!Passwords.CACHING_SHA2_PLUGIN.equals(Passwords.plugin(stored))) {
      return Passwords.matches(stored, credentials.password());
    }
    byte[] digest = digest(credentials.password());
    Verified known = verified.get(credentials.user());
    if (known != null
        && MessageDigest.isEqual(known.storedHash(), stored)
        && MessageDigest.isEqual(known.passwordDigest(), digest)) {
      return true;
    }
    if (!Passwords.matches(stored, credentials.password())) {
      return false;
    }
    verified.put(credentials.user(), new Verified(stored.clone(), digest));
    return true;
  }

  private byte[] digest(String password) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(salt);
      return sha256.digest(password.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("every Java runtime has SHA-256", impossible);
    }
  }
}
