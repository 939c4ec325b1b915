package dev.basalt.sql.planner;

/** Supplies the values of variables referenced in SQL text. */
public interface VariableResolver {

  /**
   * The value of a system variable ({@code @@name}, {@code @@session.name}, {@code @@global.name})
   * as a String, Long, Double or Boolean; unknown names throw {@code UNKNOWN_SYSTEM_VARIABLE}.
   *
   * @param global whether {@code @@global.} was written
   */
  Object systemVariable(String name, boolean global);

  /** The value of {@code @name}, or {@code null} when never set. */
  Object userVariable(String name);

  /** Names of the functions that describe the session (answered by {@link #sessionFunction}). */
  java.util.Set<String> SESSION_FUNCTIONS =
      java.util.Set.of(
          "database",
          "schema",
          "user",
          "current_user",
          "session_user",
          "system_user",
          "connection_id",
          "last_insert_id",
          "version",
          "current_catalog");

  /**
   * The value of a session function such as {@code DATABASE()} or {@code CONNECTION_ID()} (one of
   * {@link #SESSION_FUNCTIONS}); {@code null} is SQL NULL.
   */
  default Object sessionFunction(String name) {
    return null;
  }
}
