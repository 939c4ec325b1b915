package dev.basalt.meta.catalog;

import dev.basalt.meta.privilege.PrivilegeGrant;
import java.util.List;
import java.util.Objects;

/**
 * A role: a named set of privileges that users hold by being granted the role.
 *
 * @param name the role's name
 * @param grants its privileges
 */
public record RoleMeta(String name, List<PrivilegeGrant> grants) {
  public RoleMeta {
    Objects.requireNonNull(name, "name");
    grants = grants == null ? List.of() : List.copyOf(grants);
  }

  public RoleMeta withGrants(List<PrivilegeGrant> newGrants) {
    return new RoleMeta(name, newGrants);
  }
}
