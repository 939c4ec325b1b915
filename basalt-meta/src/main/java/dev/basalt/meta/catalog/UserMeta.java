package dev.basalt.meta.catalog;

import dev.basalt.meta.privilege.PrivilegeGrant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A user account.
 *
 * @param name the user name
 * @param host the host pattern; always {@code %} for now
 * @param passwordHash SHA1(SHA1(password)), 20 bytes, or empty for no password (see {@link
 *     Passwords}); the array belongs to the record, callers must not change it
 * @param grants privileges granted to the user directly (empty when none; absent in catalogs
 *     written before privileges existed)
 * @param roles names of the roles granted to the user
 */
public record UserMeta(
    String name,
    String host,
    byte[] passwordHash,
    List<PrivilegeGrant> grants,
    List<String> roles) {
  public UserMeta {
    Objects.requireNonNull(name, "name");
    host = host == null ? "%" : host;
    passwordHash = passwordHash == null ? new byte[0] : passwordHash.clone();
    grants = grants == null ? List.of() : List.copyOf(grants);
    roles = roles == null ? List.of() : List.copyOf(roles);
  }

  /** A user with a password and no privileges. */
  public UserMeta(String name, String host, byte[] passwordHash) {
    this(name, host, passwordHash, List.of(), List.of());
  }

  public UserMeta withPasswordHash(byte[] newHash) {
    return new UserMeta(name, host, newHash, grants, roles);
  }

  public UserMeta withGrants(List<PrivilegeGrant> newGrants) {
    return new UserMeta(name, host, passwordHash, newGrants, roles);
  }

  public UserMeta withRoles(List<String> newRoles) {
    return new UserMeta(name, host, passwordHash, grants, newRoles);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof UserMeta that
        && name.equals(that.name)
        && host.equals(that.host)
        && Arrays.equals(passwordHash, that.passwordHash)
        && grants.equals(that.grants)
        && roles.equals(that.roles);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, host, Arrays.hashCode(passwordHash), grants, roles);
  }

  @Override
  public String toString() {
    return "UserMeta[name="
        + name
        + ", host="
        + host
        + ", hasPassword="
        + (passwordHash.length > 0)
        + ", grants="
        + grants
        + ", roles="
        + roles
        + "]";
  }
}
