package dev.basalt.server.mysql;

import dev.basalt.server.session.Authenticator;
import java.util.Map;

/** Users {@code root} (no password) and {@code alice} (password {@code secret}). */
final class FakeAuthenticator implements Authenticator {
  static final String PASSWORD_USER = "alice";
  static final String PASSWORD = "secret";

  private final Map<String, byte[]> users =
      Map.of("root", new byte[0], PASSWORD_USER, NativePassword.storedHash(PASSWORD));

  @Override
  public byte[] storedPasswordHash(String user) {
    byte[] stored = users.get(user);
    return stored == null ? null : stored.clone();
  }
}
