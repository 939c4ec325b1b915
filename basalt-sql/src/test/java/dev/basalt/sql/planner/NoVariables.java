package dev.basalt.sql.planner;

/** A {@link VariableResolver} for planner tests whose statements read no variables: all NULL. */
public final class NoVariables implements VariableResolver {
  public static final VariableResolver INSTANCE = new NoVariables();

  private NoVariables() {}

  @Override
  public Object systemVariable(String name, boolean global) {
    return null;
  }

  @Override
  public Object userVariable(String name) {
    return null;
  }
}
