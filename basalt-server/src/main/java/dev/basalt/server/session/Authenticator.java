package dev.basalt.server.session;

/** Where a front door learns a user's stored credentials. Thread safe. */
public interface Authenticator {

  /**
   * The stored password hash of {@code user} in one of {@link dev.basalt.meta.catalog.Passwords}'
   * formats (which also tells the account's authentication plugin), an empty array when the user
   * has an empty password, or {@code null} when there is no such user.
   */
  byte[] storedPasswordHash(String user);
}
