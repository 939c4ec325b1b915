package dev.basalt.meta.catalog;

import java.util.Arrays;
import java.util.Objects;

/**
 * A user account.
 *
 * @param name the user name
 * @param host the host pattern; always {@code %} for now
 * @param passwordHash SHA1(SHA1(password)), 20 bytes, or empty for no password (see {@link
 *     Passwords}); the array belongs to the record, callers must not change it
 */
public record UserMeta(String name, String host, byte[] passwordHash) {
  public UserMeta {
    Objects.requireNonNull(name, "name");
    host = host == null ? "%" : host;
    passwordHash = passwordHash == null ? new byte[0] : passwordHash.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof UserMeta that
        && name.equals(that.name)
        && host.equals(that.host)
        && Arrays.equals(passwordHash, that.passwordHash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, host, Arrays.hashCode(passwordHash));
  }

  @Override
  public String toString() {
    return "UserMeta[name="
        + name
        + ", host="
        + host
        + ", hasPassword="
        + (passwordHash.length > 0)
        + "]";
  }
}
