package dev.basalt.sql.planner;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.sql.SqlExplainLevel;
import org.apache.calcite.util.Pair;

/**
 * The aggregations a plan computes more than once with the same input: a view or CTE referenced
 * twice is expanded twice by Calcite (TPC-H q15's {@code revenue0}, read by the join and by {@code
 * MAX(total_revenue)}). {@link OperatorBuilder} builds each such subtree once and lets its
 * occurrences read it through a {@link dev.basalt.exec.operator.Spool}.
 *
 * <p>Two subtrees are the same when their {@link #key}s are equal: every node with its explain
 * attributes and row type, down to the table scans. Only aggregations are shared: they are where a
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

  /**
   * The identity of {@code node}'s subtree, as {@link #occurrences} compares it: every node's name,
   * explain attributes and row type, inputs nested. Written without {@code RelOptUtil.toString},
   * whose metadata queries are not safe on a plan that other threads use at the same time (a cached
   * prepared plan).
   */
  static String key(RelNode node) {
    StringBuilder text = new StringBuilder();
    new KeyWriter(text, true).write(node);
    return text.toString();
  }

  /** {@code node} alone as EXPLAIN names it, e.g. {@code LogicalAggregate(group=[{0}], ...)}. */
  static String describe(RelNode node) {
    StringBuilder text = new StringBuilder();
    new KeyWriter(text, false).write(node);
    return text.toString();
  }

  /** Collects a node's explain terms; inputs are written nested, or left out. */
  private static final class KeyWriter implements RelWriter {
    private final StringBuilder text;
    private final boolean withInputs;
    private boolean first = true;

    KeyWriter(StringBuilder text, boolean withInputs) {
      this.text = text;
      this.withInputs = withInputs;
    }

    void write(RelNode node) {
      text.append(node.getRelTypeName()).append('(');
      node.explain(this);
    }

    @Override
    public void explain(RelNode node, List<Pair<String, Object>> values) {
      for (Pair<String, Object> value : values) {
        item(value.left, value.right);
      }
      done(node);
    }

    @Override
    public SqlExplainLevel getDetailLevel() {
      return SqlExplainLevel.EXPPLAN_ATTRIBUTES;
    }

    @Override
    public RelWriter item(String term, Object value) {
      if (value instanceof RelNode input) {
        if (withInputs) {
          text.append(first ? "" : ", ").append(term).append('=');
          new KeyWriter(text, true).write(input);
          first = false;
        }
        return this;
      }
      text.append(first ? "" : ", ").append(term).append("=[").append(value).append(']');
      first = false;
      return this;
    }

    @Override
    public RelWriter done(RelNode node) {
      text.append(')');
      if (withInputs) {
        text.append(':').append(node.getRowType().getFullTypeString());
      }
      return this;
    }
  }

  /**
   * Whether {@code scan} is read below a shared subtree: a runtime filter from one occurrence's
   * join must not filter it, as the rows are read by the other occurrences too.
   */
  boolean belowShared(TableScan scan) {
    return scansBelowShared.contains(scan);
  }
}
