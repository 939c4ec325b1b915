package dev.basalt.meta.privilege;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Privileges held at one level, as stored with a user or role.
 *
 * @param level where they apply
 * @param privileges what they allow; never empty in a stored grant
 */
public record PrivilegeGrant(PrivilegeLevel level, Set<Privilege> privileges) {
  public PrivilegeGrant {
    Objects.requireNonNull(level, "level");
    privileges =
        privileges == null || privileges.isEmpty()
            ? Set.of()
            : Set.copyOf(EnumSet.copyOf(privileges));
  }

  /**
   * {@code grants} with {@code added} at {@code level} merged in (one entry per level, in the order
   * levels were first granted).
   */
  public static List<PrivilegeGrant> add(
      List<PrivilegeGrant> grants, PrivilegeLevel level, Set<Privilege> added) {
    return change(grants, level, added, true);
  }

  /** {@code grants} with {@code removed} taken away at exactly {@code level}. */
  public static List<PrivilegeGrant> remove(
      List<PrivilegeGrant> grants, PrivilegeLevel level, Set<Privilege> removed) {
    return change(grants, level, removed, false);
  }

  private static List<PrivilegeGrant> change(
      List<PrivilegeGrant> grants, PrivilegeLevel level, Set<Privilege> delta, boolean add) {
    List<PrivilegeGrant> result = new ArrayList<>();
    boolean found = false;
    for (PrivilegeGrant grant : grants) {
      if (!grant.level().equals(level)) {
        result.add(grant);
        continue;
      }
      found = true;
      EnumSet<Privilege> privileges = EnumSet.noneOf(Privilege.class);
      privileges.addAll(grant.privileges());
      if (add) {
        privileges.addAll(delta);
      } else {
        privileges.removeAll(delta);
      }
      if (!privileges.isEmpty()) {
        result.add(new PrivilegeGrant(level, privileges));
      }
    }
    if (!found && add && !delta.isEmpty()) {
      result.add(new PrivilegeGrant(level, delta));
    }
    return List.copyOf(result);
  }
}
