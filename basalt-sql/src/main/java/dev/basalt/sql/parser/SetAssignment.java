package dev.basalt.sql.parser;

/** One assignment of a {@code SET} statement. Values are kept as SQL expression text. */
public sealed interface SetAssignment {

  /**
   * {@code [GLOBAL|SESSION] name = expr} or {@code @@[global.|session.]name = expr}.
   *
   * @param scope the scope written
   * @param name the variable name, lower case
   * @param valueText the expression text, e.g. {@code 1}, {@code 'utf8mb4'}, {@code DEFAULT}
   */
  record SystemVariable(VariableScope scope, String name, String valueText)
      implements SetAssignment {}

  /**
   * {@code @name = expr}.
   *
   * @param name the user variable name without {@code @}
   * @param valueText the expression text
   */
  record UserVariable(String name, String valueText) implements SetAssignment {}

  /**
   * {@code SET NAMES charset [COLLATE collation]} or {@code SET CHARACTER SET charset}.
   *
   * @param charset the character set name, or {@code DEFAULT}
   * @param collation the collation, or {@code null}
   */
  record Names(String charset, String collation) implements SetAssignment {}

  /**
   * {@code SET [GLOBAL|SESSION] TRANSACTION ISOLATION LEVEL ... | READ ONLY | READ WRITE}.
   *
   * @param scope the scope written
   * @param isolationLevel e.g. {@code READ-COMMITTED}, or {@code null}
   * @param readOnly TRUE/FALSE for READ ONLY/WRITE, {@code null} when not given
   */
  record Transaction(VariableScope scope, String isolationLevel, Boolean readOnly)
      implements SetAssignment {}
}
