package dev.basalt.server.engine;

/** How variable values print in SHOW VARIABLES and information_schema. */
final class VariableText {
  private VariableText() {}

  static String of(Object value) {
    if (value instanceof Boolean bool) {
      return bool ? "true" : "false";
    }
    return value == null ? "" : value.toString();
  }
}
