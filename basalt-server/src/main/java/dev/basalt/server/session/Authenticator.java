package dev.basalt.server.session;

/** Where a front door learns a user's stored credentials. Thread safe. */
public interface Authenticator {

  /**
   * The stored {@code SHA1(SHA1(password))} of {@code user} (20 bytes), an empty array when the
   * user has an empty password, or {@code null} when there is no such user.
   */
  byte[] storedPasswordHash(String user);
}
