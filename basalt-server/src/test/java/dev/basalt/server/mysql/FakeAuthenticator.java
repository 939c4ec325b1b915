package dev.basalt.server.mysql;

import dev.basalt.server.session.Authenticator;
import java.util.Map;

/**
 * Users {@code root} (no password), {@code alice} (password {@code secret}, mysql_native_password)
 * and {@code bob} (password {@code secret}, caching_sha2_password).
 */
final class FakeAuthenticator implements Authenticator {
  static final String PASSWORD_USER = "alice";
  static final String SHA2_USER = "bob";
  static final String PASSWORD = "secret";

  private final Map<String, byte[]> users =
      Map.of(
          "root",
          new byte[0],
          PASSWORD_USER,
          NativePassword.storedHash(PASSWORD),
          SHA2_USER,
          dev.basalt.meta.catalog.Passwords.cachingSha2(PASSWORD));

  @Override
  public byte[] storedPasswordHash(String user) {
    byte[] stored = users.get(user);
    return stored == null ? null : stored.clone();
  }
}
