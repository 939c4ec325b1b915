package dev.basalt.sql.parser;

/** The scope a SET or SHOW VARIABLES names; DEFAULT when none is written (session for SET). */
public enum VariableScope {
  DEFAULT,
  SESSION,
  GLOBAL
}
