package dev.basalt.sql.cost;

import dev.basalt.sql.schema.CalciteSchemas;
import java.util.function.BiFunction;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.JoinCommuteRule;
import org.apache.calcite.rel.rules.JoinToMultiJoinRule;
import org.apache.calcite.rel.rules.MultiJoin;
import org.apache.calcite.tools.RelBuilder;

/**
 * Cost-based join order (docs/statistics.md). Adjacent inner joins are gathered into Calcite {@link
 * MultiJoin}s and ordered by {@code LoptOptimizeJoinRule} (a greedy search over left-deep trees
 * driven by the {@link CostModel}'s row counts, selectivities and NDVs); then each inner hash join
 * gets its smaller estimated input on the right, the side Basalt builds its hash table from, and a
 * LEFT join whose right input is much larger becomes a RIGHT join ({@link #buildSmallerSide}).
 *
 * <p>Guards: the plan keeps the FROM order when a table it reads has no statistics (without NDVs
 * Calcite guesses 0.15 for every equality and picks poor orders), and when a join has more than
 * {@link #MAX_FACTORS} inputs (bounding planning time). Stateless and thread safe.
 */
public final class JoinOrder {
  /** The most inputs one multi-way join may have for its order to be searched. */
  public static final int MAX_FACTORS = 16;

  /**
   * Gathers inner joins only: an outer join stays where it was written (a barrier, with the inner
   * joins below and above it ordered on their own). Calcite can move outer joins, but turned TPC-H
   * q22's LEFT join (then its NOT EXISTS) into a RIGHT join that ran five times slower here.
   */
  private static final RelOptRule INNER_JOIN_TO_MULTI_JOIN =
      JoinToMultiJoinRule.Config.DEFAULT
          .withOperandSupplier(
              join ->
                  join.operand(LogicalJoin.class)
                      .predicate(j -> j.getJoinType() == JoinRelType.INNER)
                      .inputs(
                          left -> left.operand(RelNode.class).anyInputs(),
                          right -> right.operand(RelNode.class).anyInputs()))
          .as(JoinToMultiJoinRule.Config.class)
          .toRule();

  private static final HepProgram TO_MULTI_JOIN =
      new HepProgramBuilder()
          .addMatchOrder(HepMatchOrder.BOTTOM_UP)
          .addRuleInstance(INNER_JOIN_TO_MULTI_JOIN)
          .addRuleInstance(CoreRules.PROJECT_MULTI_JOIN_MERGE)
          .addRuleInstance(CoreRules.FILTER_MULTI_JOIN_MERGE)
          .build();

  private static final HepProgram OPTIMIZE =
      new HepProgramBuilder().addRuleInstance(CoreRules.MULTI_JOIN_OPTIMIZE).build();

  private static final HepProgram OPTIMIZE_BUSHY =
      new HepProgramBuilder().addRuleInstance(CoreRules.MULTI_JOIN_OPTIMIZE_BUSHY).build();

  private JoinOrder() {}

  /**
   * The plan with its joins reordered, or {@code plan} itself when a guard applies.
   *
   * @param runner runs a Hep program over a plan (the planner's settings, e.g. no constant folding)
   */
  public static RelNode reorder(RelNode plan, BiFunction<HepProgram, RelNode, RelNode> runner) {
    if (!hasJoin(plan) || !everyTableAnalyzed(plan)) {
      return plan;
    }
    RelNode gathered = runner.apply(TO_MULTI_JOIN, plan);
    if (largestMultiJoin(gathered) > MAX_FACTORS) {
      return plan;
    }
    RelNode leftDeep = runner.apply(OPTIMIZE, gathered);
    RelNode bushy = runner.apply(OPTIMIZE_BUSHY, gathered);
    RelNode ordered = cheaper(leftDeep, bushy);
    if (ordered == null) {
      return plan;
    }
    return buildSmallerSide(ordered);
  }

  /**
   * The plan of lower estimated cumulative cost among the two searches' results that have no
   * multi-way join left (a search that could not order one leaves it in place); null when neither
   * qualifies. The greedy left-deep search extends one tree and misses plans that join two small
   * results first: TPC-H q02's decorrelated MIN subquery joined with the filtered parts (about 800
   * rows) before the 800,000 partsupp rows, estimated 2.6M against 8.3M for the left-deep order
   * that joined partsupp with the whole aggregate on the supply cost.
   */
  private static RelNode cheaper(RelNode leftDeep, RelNode bushy) {
    boolean leftDeepDone = largestMultiJoin(leftDeep) == 0;
    boolean bushyDone = largestMultiJoin(bushy) == 0;
    if (!leftDeepDone || !bushyDone) {
      return leftDeepDone ? leftDeep : bushyDone ? bushy : null;
    }
    RelMetadataQuery mq = leftDeep.getCluster().getMetadataQuery();
    RelOptCost leftDeepCost = mq.getCumulativeCost(leftDeep);
    RelOptCost bushyCost = mq.getCumulativeCost(bushy);
    if (leftDeepCost == null || bushyCost == null) {
      return leftDeep;
    }
    return bushyCost.isLt(leftDeepCost) ? bushy : leftDeep;
  }

  /**
   * How many times its left input's estimated rows a LEFT join's right input must have for the join
   * to become a RIGHT join with its inputs swapped (hashing the smaller, preserved side and probing
   * with the larger one). The margin keeps joins of similar sides as written: a RIGHT join's probe
   * runs in one pipeline, a LEFT join's in every copy of its scan pipeline.
   */
  static final double LEFT_JOIN_SWAP_RATIO = 2.0;

  /**
   * Puts the smaller estimated input of every inner join on the right (the build side), and swaps
   * the inputs of a LEFT join whose right input is estimated at more than {@link
   * #LEFT_JOIN_SWAP_RATIO} times its left into a RIGHT join (TPC-H q13: 150,000 customers LEFT JOIN
   * 1.5M orders hashed all the orders; as a RIGHT join it hashes the customers and outputs the ones
   * no order matched at the end). Calcite's swap adds a projection that restores the column order.
   */
  static RelNode buildSmallerSide(RelNode plan) {
    RelBuilder builder = RelFactories.LOGICAL_BUILDER.create(plan.getCluster(), null);
    return plan.accept(
        new RelHomogeneousShuttle() {
          @Override
          public RelNode visit(RelNode other) {
            RelNode visited = super.visit(other);
            if (!(visited instanceof Join join)) {
              return visited;
            }
            double ratio =
                switch (join.getJoinType()) {
                  case INNER -> 1.0;
                  case LEFT -> LEFT_JOIN_SWAP_RATIO;
                  default -> Double.NaN;
                };
            if (Double.isNaN(ratio)) {
              return visited;
            }
            RelMetadataQuery mq = join.getCluster().getMetadataQuery();
            Double left = mq.getRowCount(join.getLeft());
            Double right = mq.getRowCount(join.getRight());
            if (left == null || right == null || right <= left * ratio) {
              return visited;
            }
            RelNode swapped = JoinCommuteRule.swap(join, true, builder);
            return swapped == null ? visited : swapped;
          }
        });
  }

  private static boolean hasJoin(RelNode node) {
    if (node instanceof Join) {
      return true;
    }
    for (RelNode input : node.getInputs()) {
      if (hasJoin(input)) {
        return true;
      }
    }
    return false;
  }

  private static boolean everyTableAnalyzed(RelNode node) {
    if (node instanceof TableScan scan) {
      CalciteSchemas.BasaltTable table = scan.getTable().unwrap(CalciteSchemas.BasaltTable.class);
      return table != null
          && table.descriptor().statistics().get().analyzed(table.descriptor().columns().size());
    }
    for (RelNode input : node.getInputs()) {
      if (!everyTableAnalyzed(input)) {
        return false;
      }
    }
    return true;
  }

  private static int largestMultiJoin(RelNode node) {
    int largest = node instanceof MultiJoin multi ? multi.getInputs().size() : 0;
    for (RelNode input : node.getInputs()) {
      largest = Math.max(largest, largestMultiJoin(input));
    }
    return largest;
  }
}
