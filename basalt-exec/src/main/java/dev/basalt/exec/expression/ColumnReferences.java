package dev.basalt.exec.expression;

import java.util.BitSet;

/**
 * The input columns an expression reads, for operators that decide what to decode, gather or share
 * by them (a projection, the scan's filter steps, a selection filter over one column). Stateless.
 */
public final class ColumnReferences {
  private ColumnReferences() {}

  /**
   * Adds to {@code columns} the input columns {@code expression} reads. Returns false, leaving
   * {@code columns} incomplete, when the expression holds a kind of expression not known here or,
   * with {@code deterministicOnly}, a call of a function that is not {@linkplain
   * dev.basalt.exec.function.ScalarFunction#isDeterministic deterministic}.
   */
  public static boolean collect(Expression expression, BitSet columns, boolean deterministicOnly) {
    return switch (expression) {
      case InputReference reference -> {
        columns.set(reference.index());
        yield true;
      }
      case Literal literal -> true;
      case FunctionCall call ->
          (!deterministicOnly || call.function().isDeterministic())
              && call.arguments().stream()
                  .allMatch(argument -> collect(argument, columns, deterministicOnly));
      case LogicalExpression logical ->
          logical.operands().stream()
              .allMatch(operand -> collect(operand, columns, deterministicOnly));
      case NullTest test -> collect(test.operand(), columns, deterministicOnly);
      case TruthTest test -> collect(test.operand(), columns, deterministicOnly);
      case CaseExpression caseExpression ->
          caseExpression.conditions().stream()
                  .allMatch(condition -> collect(condition, columns, deterministicOnly))
              && caseExpression.values().stream()
                  .allMatch(value -> collect(value, columns, deterministicOnly))
              && (caseExpression.otherwise() == null
                  || collect(caseExpression.otherwise(), columns, deterministicOnly));
      default -> false;
    };
  }
}
