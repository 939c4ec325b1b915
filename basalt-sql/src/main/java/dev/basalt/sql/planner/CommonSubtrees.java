package dev.basalt.sql.planner;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.TableScan;

/**
 * The aggregations a plan computes more than once with the same input: a view or CTE referenced
 * twice is expanded twice by Calcite (TPC-H q15's {@code revenue0}, read by the join and by {@code
 * MAX(total_revenue)}). {@link OperatorBuilder} builds each such subtree once and lets its
 * occurrences read it through a {@link dev.basalt.exec.operator.Spool}.
 *
 * <p>Two subtrees are the same when their explain text (every node with its attributes, down to the
 * table scans) and their row types are equal. Only aggregations are shared: they are where a
 * repeated subtree costs (a scan of a fact table) and what they hold is bounded by their groups;
 * sharing a plain scan or filter would only add a copy. Immutable after {@link #of}.
 */
final class CommonSubtrees {
  private final Map<String, Integer> occurrences;
  private final Set<TableScan> scansBelowShared;

  private CommonSubtrees(Map<String, Integer> occurrences, Set<TableScan> scansBelowShared) {
    this.occurrences = occurrences;
    this.scansBelowShared = scansBelowShared;
  }

  /** A plan with nothing shared. */
  static final CommonSubtrees NONE = new CommonSubtrees(Map.of(), Set.of());

  static CommonSubtrees of(RelNode plan) {
    Map<String, Integer> counts = new HashMap<>();
    new RelVisitor() {
      @Override
      public void visit(RelNode node, int ordinal, RelNode parent) {
        if (node instanceof Aggregate) {
          counts.merge(key(node), 1, Integer::sum);
        }
        super.visit(node, ordinal, parent);
      }
    }.go(plan);
    counts.values().removeIf(count -> count < 2);
    if (counts.isEmpty()) {
      return NONE;
    }
    Set<TableScan> scans = Collections.newSetFromMap(new IdentityHashMap<>());
    new RelVisitor() {
      private int sharedDepth;

      @Override
      public void visit(RelNode node, int ordinal, RelNode parent) {
        boolean shared = node instanceof Aggregate && counts.containsKey(key(node));
        sharedDepth += shared ? 1 : 0;
        if (sharedDepth > 0 && node instanceof TableScan scan) {
          scans.add(scan);
        }
        super.visit(node, ordinal, parent);
        sharedDepth -= shared ? 1 : 0;
      }
    }.go(plan);
    return new CommonSubtrees(Map.copyOf(counts), scans);
  }

  /** How many times the plan holds {@code node}'s subtree when more than once, else 0. */
  int occurrences(RelNode node) {
    if (occurrences.isEmpty() || !(node instanceof Aggregate)) {
      return 0;
    }
    return occurrences.getOrDefault(key(node), 0);
  }

  /** The identity of {@code node}'s subtree, as {@link #occurrences} compares it. */
  static String key(RelNode node) {
    return RelOptUtil.toString(node) + node.getRowType().getFullTypeString();
  }

  /**
   * Whether {@code scan} is read below a shared subtree: a runtime filter from one occurrence's
   * join must not filter it, as the rows are read by the other occurrences too.
   */
  boolean belowShared(TableScan scan) {
    return scansBelowShared.contains(scan);
  }
}
