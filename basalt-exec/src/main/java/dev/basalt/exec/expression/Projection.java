package dev.basalt.exec.expression;

import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.exec.function.EvaluationContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A projection's expressions evaluated over a batch, each call that occurs more than once among
 * them evaluated once: TPC-H q01 computes {@code l_extendedprice * (1 - l_discount)} as a column
 * and again inside {@code l_extendedprice * (1 - l_discount) * (1 + l_tax)}.
 *
 * <p>A shared call is evaluated over the batch's rows before the expressions, appended as a column
 * after the input's, and read there by an {@link InputReference}. Only calls that every occurrence
 * would evaluate over every row of the batch are shared (arguments of calls, operands of null and
 * truth tests, not the branches of CASE or the later operands of AND / OR, which see fewer rows),
 * whose functions are deterministic ({@linkplain
 * dev.basalt.exec.function.ScalarFunction#evaluatesRejectedRows evaluate rejected rows}, which
 * implies it: a call of RAND() is never shared) and which read a column. Immutable and thread safe.
 */
public final class Projection {
  private final int inputColumnCount;

  /** The shared calls in evaluation order: one reads the columns before its own. */
  private final List<Expression> shared;

  /** The expressions with the shared calls replaced by references to their columns. */
  private final List<Expression> outputs;

  /** {@code expressions} over batches of {@code inputColumnCount} columns. */
  public Projection(List<Expression> expressions, int inputColumnCount) {
    this.inputColumnCount = inputColumnCount;
    List<Expression> outputs = new ArrayList<>(expressions);
    List<Expression> definitions = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    while (true) {
      FunctionCall repeated = largestRepeated(outputs, definitions);
      if (repeated == null) {
        break;
      }
      InputReference column =
          new InputReference(inputColumnCount + definitions.size(), repeated.type());
      outputs.replaceAll(expression -> replace(expression, repeated, column));
      definitions.replaceAll(expression -> replace(expression, repeated, column));
      definitions.add(repeated);
      sizes.add(size(repeated));
    }
    // A shared call contains only smaller ones: evaluating the smaller first gives each its
    // arguments' columns; the columns are renumbered in that order.
    Integer[] order = new Integer[definitions.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Integer.compare(sizes.get(a), sizes.get(b)));
    int[] renumbered = new int[order.length];
    for (int position = 0; position < order.length; position++) {
      renumbered[order[position]] = inputColumnCount + position;
    }
    List<Expression> sharedInOrder = new ArrayList<>(order.length);
    for (Integer definition : order) {
      sharedInOrder.add(renumber(definitions.get(definition), renumbered));
    }
    outputs.replaceAll(expression -> renumber(expression, renumbered));
    this.shared = List.copyOf(sharedInOrder);
    this.outputs = List.copyOf(outputs);
  }

  /** The shared calls, in the order {@link #evaluate} computes them (for tests and EXPLAIN). */
  public List<Expression> shared() {
    return shared;
  }

  /**
   * One vector per expression over {@code input}'s rows ({@code input} has at least the
   * projection's input columns and no selection); throws what an expression throws.
   */
  public List<ColumnVector> evaluate(Batch input, EvaluationContext context) {
    Batch rows = input;
    if (!shared.isEmpty()) {
      if (input.columnCount() < inputColumnCount) {
        throw new IllegalStateException(
            input.columnCount() + " columns in a projection of " + inputColumnCount);
      }
      List<ColumnVector> columns = new ArrayList<>(inputColumnCount + shared.size());
      columns.addAll(input.columns().subList(0, inputColumnCount));
      for (Expression call : shared) {
        columns.add(call.evaluate(rows, context));
        rows = new Batch(columns, input.rowCount());
      }
    }
    List<ColumnVector> results = new ArrayList<>(outputs.size());
    for (Expression expression : outputs) {
      results.add(expression.evaluate(rows, context));
    }
    return results;
  }

  /** The largest call that occurs at least twice where it may be shared, or null. */
  private static FunctionCall largestRepeated(
      List<Expression> outputs, List<Expression> definitions) {
    Map<FunctionCall, Integer> counts = new HashMap<>();
    for (Expression expression : outputs) {
      count(expression, counts);
    }
    for (Expression definition : definitions) {
      // A definition itself occurs once; only what it contains counts.
      if (definition instanceof FunctionCall call) {
        call.arguments().forEach(argument -> count(argument, counts));
      }
    }
    FunctionCall largest = null;
    for (Map.Entry<FunctionCall, Integer> entry : counts.entrySet()) {
      FunctionCall call = entry.getKey();
      if (entry.getValue() >= 2
          && (largest == null || size(call) > size(largest))
          && readsColumn(call)
          && SpeculativeEvaluation.applies(call)) {
        largest = call;
      }
    }
    return largest;
  }

  /** Counts the calls in {@code expression} that every row evaluates. */
  private static void count(Expression expression, Map<FunctionCall, Integer> counts) {
    switch (expression) {
      case FunctionCall call -> {
        counts.merge(call, 1, Integer::sum);
        call.arguments().forEach(argument -> count(argument, counts));
      }
      case NullTest test -> count(test.operand(), counts);
      case TruthTest test -> count(test.operand(), counts);
      default -> {}
    }
  }

  /** {@code expression} with {@code target} replaced where {@link #count} counts it. */
  private static Expression replace(Expression expression, Expression target, Expression by) {
    if (expression.equals(target)) {
      return by;
    }
    return switch (expression) {
      case FunctionCall call ->
          new FunctionCall(
              call.function(),
              call.arguments().stream().map(argument -> replace(argument, target, by)).toList());
      case NullTest test -> new NullTest(replace(test.operand(), target, by), test.negated());
      case TruthTest test ->
          new TruthTest(replace(test.operand(), target, by), test.expected(), test.negated());
      default -> expression;
    };
  }

  /** {@code expression} with the shared calls' columns numbered in evaluation order. */
  private Expression renumber(Expression expression, int[] renumbered) {
    return switch (expression) {
      case InputReference reference when reference.index() >= inputColumnCount ->
          new InputReference(renumbered[reference.index() - inputColumnCount], reference.type());
      case FunctionCall call ->
          new FunctionCall(
              call.function(),
              call.arguments().stream().map(argument -> renumber(argument, renumbered)).toList());
      case NullTest test -> new NullTest(renumber(test.operand(), renumbered), test.negated());
      case TruthTest test ->
          new TruthTest(renumber(test.operand(), renumbered), test.expected(), test.negated());
      default -> expression;
    };
  }

  private static int size(Expression expression) {
    return switch (expression) {
      case FunctionCall call -> 1 + call.arguments().stream().mapToInt(Projection::size).sum();
      case NullTest test -> 1 + size(test.operand());
      case TruthTest test -> 1 + size(test.operand());
      default -> 1;
    };
  }

  private static boolean readsColumn(Expression expression) {
    return switch (expression) {
      case InputReference reference -> true;
      case FunctionCall call -> call.arguments().stream().anyMatch(Projection::readsColumn);
      case NullTest test -> readsColumn(test.operand());
      case TruthTest test -> readsColumn(test.operand());
      default -> false;
    };
  }
}
