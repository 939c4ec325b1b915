package dev.basalt.meta.privilege;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The privileges a user or role can hold, as Doris names them, with MySQL's spellings accepted on
 * input (see docs/security.md for the statement each one allows).
 */
public enum Privilege {
  /** Read a table: queries, EXPLAIN, the source of INSERT ... SELECT and CTAS. */
  SELECT,
  /** Write a table: INSERT, Stream Load, TRUNCATE (MySQL's INSERT, UPDATE and DELETE map here). */
  LOAD,
  /** Change a table's definition: ALTER TABLE, RENAME. */
  ALTER,
  /** Create databases and tables. */
  CREATE,
  /** Drop databases and tables. */
  DROP,
  /** Grant and revoke privileges and roles, create, change and drop users and roles. */
  GRANT,
  /** Everything, everywhere; only at the global level ({@code *.*}). */
  ADMIN;

  /** What {@code ALL [PRIVILEGES]} grants: every table-level privilege, not GRANT or ADMIN. */
  public static final Set<Privilege> ALL = EnumSet.of(SELECT, LOAD, ALTER, CREATE, DROP);

  /** Doris's name, e.g. {@code Select_priv}, as SHOW GRANTS prints it. */
  public String displayName() {
    String lower = name().toLowerCase(Locale.ROOT);
    return Character.toUpperCase(lower.charAt(0)) + lower.substring(1) + "_priv";
  }

  /**
   * The privileges a word of a GRANT statement names: Doris's {@code SELECT_PRIV} ..., MySQL's
   * {@code SELECT}, {@code INSERT}, {@code UPDATE}, {@code DELETE}, {@code ALTER}, {@code CREATE},
   * {@code DROP}, {@code SUPER}, and {@code ALL}; {@code null} for an unknown word.
   */
  public static Set<Privilege> named(String word) {
    String upper = word.toUpperCase(Locale.ROOT);
    return switch (upper) {
      case "ALL" -> ALL;
      case "SELECT", "SELECT_PRIV" -> EnumSet.of(SELECT);
      case "INSERT", "UPDATE", "DELETE", "LOAD", "LOAD_PRIV" -> EnumSet.of(LOAD);
      case "ALTER", "ALTER_PRIV" -> EnumSet.of(ALTER);
      case "CREATE", "CREATE_PRIV" -> EnumSet.of(CREATE);
      case "DROP", "DROP_PRIV" -> EnumSet.of(DROP);
      case "GRANT", "GRANT_PRIV" -> EnumSet.of(GRANT);
      case "SUPER", "ADMIN", "ADMIN_PRIV" -> EnumSet.of(ADMIN);
      default -> null;
    };
  }
}
