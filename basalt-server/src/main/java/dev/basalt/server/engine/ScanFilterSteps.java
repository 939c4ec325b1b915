package dev.basalt.server.engine;

import dev.basalt.exec.expression.CaseExpression;
import dev.basalt.exec.expression.ColumnReferences;
import dev.basalt.exec.expression.Expression;
import dev.basalt.exec.expression.FunctionCall;
import dev.basalt.exec.expression.InputReference;
import dev.basalt.exec.expression.Literal;
import dev.basalt.exec.expression.LogicalExpression;
import dev.basalt.exec.expression.NullTest;
import dev.basalt.exec.expression.TruthTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pushed scan condition cut into steps over disjoint sets of columns, so that a segment scan
 * decodes the first step's columns for every row and each later step's columns only for the rows
 * the steps before it kept (see {@link dev.basalt.storage.segment.SegmentFilter#steps()}). The
 * condition's conjuncts are grouped by the columns they read (conjuncts sharing a column go
 * together), in the order of their first conjunct; the first step also holds the columns of the
 * runtime filters, which run before it (they join the first conjunct's group). TPC-H q06's {@code
 * l_shipdate} range, {@code l_discount} range and {@code l_quantity} bound become three steps. A
 * condition that is not an AND of parts over different columns is one step.
 *
 * @param steps each step's columns (positions in the condition's input, ascending) and its
 *     conjuncts as one condition over a batch of those columns only, in that order; the first step
 *     has no condition ({@code null}) when the condition reads no column
 */
record ScanFilterSteps(List<Step> steps) {

  /**
   * One step.
   *
   * @param columns positions in the full condition's input, ascending
   * @param condition the step's conjuncts over a batch of {@code columns}, or {@code null}: none
   */
  record Step(int[] columns, Expression condition) {}

  /**
   * Cuts {@code condition} (over {@code width} input columns) into steps; {@code firstColumns} (the
   * runtime filters' columns) belong to the first step.
   */
  static ScanFilterSteps of(Expression condition, int width, int[] firstColumns) {
    List<Expression> conjuncts = new ArrayList<>();
    if (condition instanceof LogicalExpression logical
        && logical.kind() == LogicalExpression.Kind.AND) {
      conjuncts.addAll(logical.operands());
    } else {
      conjuncts.add(condition);
    }
    // Union-find over the columns: columns read by one conjunct fall into one group.
    int[] parent = new int[width];
    for (int column = 0; column < width; column++) {
      parent[column] = column;
    }
    List<BitSet> columnsOf = new ArrayList<>();
    for (Expression conjunct : conjuncts) {
      BitSet columns = new BitSet();
      if (!ColumnReferences.collect(conjunct, columns, false)) {
        return whole(condition, width);
      }
      columnsOf.add(columns);
      int first = columns.nextSetBit(0);
      for (int column = first; column >= 0; column = columns.nextSetBit(column + 1)) {
        union(parent, first, column);
      }
    }
    for (int column : firstColumns) {
      union(parent, firstColumns[0], column);
    }
    // The runtime filters share their step with the first conjunct's columns: alone, they would
    // leave the condition to gather its columns at the rows they keep, which measured slower on
    // TPC-H q03 (they keep about half of lineitem) than decoding both whole, as before the steps.
    for (BitSet columns : columnsOf) {
      if (firstColumns.length > 0 && !columns.isEmpty()) {
        union(parent, firstColumns[0], columns.nextSetBit(0));
        break;
      }
    }
    // Groups in the order of their first conjunct; the runtime filters' group first; conjuncts
    // without columns with the first group.
    List<Integer> groupRoots = new ArrayList<>();
    if (firstColumns.length > 0) {
      groupRoots.add(find(parent, firstColumns[0]));
    }
    for (BitSet columns : columnsOf) {
      if (!columns.isEmpty() && !groupRoots.contains(find(parent, columns.nextSetBit(0)))) {
        groupRoots.add(find(parent, columns.nextSetBit(0)));
      }
    }
    if (groupRoots.size() <= 1) {
      return whole(condition, width);
    }
    List<Step> steps = new ArrayList<>();
    for (int group = 0; group < groupRoots.size(); group++) {
      int root = groupRoots.get(group);
      int[] columns = new int[width];
      int count = 0;
      int[] positionInStep = new int[width];
      Arrays.fill(positionInStep, -1);
      for (int column = 0; column < width; column++) {
        if (find(parent, column) == root && readByAny(columnsOf, column, firstColumns)) {
          positionInStep[column] = count;
          columns[count++] = column;
        }
      }
      List<Expression> parts = new ArrayList<>();
      Map<Expression, Expression> remapped = new IdentityHashMap<>();
      for (int i = 0; i < conjuncts.size(); i++) {
        BitSet read = columnsOf.get(i);
        boolean inGroup = read.isEmpty() ? group == 0 : find(parent, read.nextSetBit(0)) == root;
        if (inGroup) {
          parts.add(remap(conjuncts.get(i), positionInStep, remapped));
        }
      }
      Expression stepCondition =
          parts.isEmpty()
              ? null
              : parts.size() == 1
                  ? parts.get(0)
                  : new LogicalExpression(LogicalExpression.Kind.AND, parts);
      steps.add(new Step(Arrays.copyOf(columns, count), stepCondition));
    }
    return new ScanFilterSteps(steps);
  }

  private static ScanFilterSteps whole(Expression condition, int width) {
    int[] columns = new int[width];
    for (int column = 0; column < width; column++) {
      columns[column] = column;
    }
    return new ScanFilterSteps(List.of(new Step(columns, condition)));
  }

  private static boolean readByAny(List<BitSet> columnsOf, int column, int[] firstColumns) {
    for (int first : firstColumns) {
      if (first == column) {
        return true;
      }
    }
    for (BitSet columns : columnsOf) {
      if (columns.get(column)) {
        return true;
      }
    }
    return false;
  }

  private static int find(int[] parent, int column) {
    while (parent[column] != column) {
      parent[column] = parent[parent[column]];
      column = parent[column];
    }
    return column;
  }

  private static void union(int[] parent, int a, int b) {
    parent[find(parent, a)] = find(parent, b);
  }

  /**
   * {@code expression} with each column reference moved to {@code positionInStep[index]}; a
   * subexpression shared by several parts stays shared (the selection filter evaluates a shared
   * operand once).
   */
  private static Expression remap(
      Expression expression, int[] positionInStep, Map<Expression, Expression> remapped) {
    Expression done = remapped.get(expression);
    if (done != null) {
      return done;
    }
    Expression result =
        switch (expression) {
          case InputReference reference ->
              new InputReference(positionInStep[reference.index()], reference.type());
          case Literal literal -> literal;
          case FunctionCall call ->
              new FunctionCall(
                  call.function(), remapAll(call.arguments(), positionInStep, remapped));
          case LogicalExpression logical ->
              new LogicalExpression(
                  logical.kind(), remapAll(logical.operands(), positionInStep, remapped));
          case NullTest test ->
              new NullTest(remap(test.operand(), positionInStep, remapped), test.negated());
          case TruthTest test ->
              new TruthTest(
                  remap(test.operand(), positionInStep, remapped), test.expected(), test.negated());
          case CaseExpression caseExpression ->
              new CaseExpression(
                  remapAll(caseExpression.conditions(), positionInStep, remapped),
                  remapAll(caseExpression.values(), positionInStep, remapped),
                  caseExpression.otherwise() == null
                      ? null
                      : remap(caseExpression.otherwise(), positionInStep, remapped),
                  caseExpression.type());
          default -> throw new IllegalStateException("unmapped " + expression);
        };
    remapped.put(expression, result);
    return result;
  }

  private static List<Expression> remapAll(
      List<Expression> expressions, int[] positionInStep, Map<Expression, Expression> remapped) {
    List<Expression> result = new ArrayList<>(expressions.size());
    for (Expression expression : expressions) {
      result.add(remap(expression, positionInStep, remapped));
    }
    return result;
  }
}
