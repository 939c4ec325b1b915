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
}
