package dev.basalt.sql.planner;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.sql.type.CalciteTypes;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;

/**
 * Doris's rule for BITMAP, HLL and QUANTILE_STATE values in queries: they are read only through
 * their functions, so a plan that groups by, sorts by or compares one is refused with Doris's
 * message. Checked on the converted plan, before optimization. Stateless.
 */
final class SketchColumnRules {
  /** Doris's message (its {@code Type.OnlyMetricTypeErrorMsg}). */
  static final String MESSAGE =
      "Doris hll, bitmap, array, map, struct, jsonb, variant column must use with specific"
          + " function, and don't support filter, group by or order by. please run 'help hll' or"
          + " 'help bitmap' or 'help array' or 'help map' or 'help struct' or 'help jsonb' or"
          + " 'help variant' in your mysql client.";

  private SketchColumnRules() {}

  /**
   * Throws {@link ErrorCode#ANALYSIS_ERROR} when {@code plan} groups, sorts or compares a sketch.
   */
  static void check(RelNode plan) {
    for (RelNode input : plan.getInputs()) {
      check(input);
    }
    switch (plan) {
      case Aggregate aggregate -> {
        for (int key : aggregate.getGroupSet()) {
          refuseSketch(aggregate.getInput().getRowType().getFieldList().get(key).getType());
        }
      }
      case Sort sort -> {
        for (RelFieldCollation field : sort.getCollation().getFieldCollations()) {
          refuseSketch(sort.getRowType().getFieldList().get(field.getFieldIndex()).getType());
        }
      }
      case Filter filter -> refuseComparisons(filter.getCondition());
      default -> {}
    }
  }

  private static void refuseComparisons(RexNode condition) {
    condition.accept(
        new RexShuttle() {
          @Override
          public RexNode visitCall(RexCall call) {
            if (call.getKind().belongsTo(SqlKind.COMPARISON) || call.getKind() == SqlKind.IN) {
              for (RexNode operand : call.getOperands()) {
                refuseSketch(operand.getType());
              }
            }
            return super.visitCall(call);
          }
        });
  }

  private static void refuseSketch(RelDataType type) {
    if (isSketch(type)) {
      throw new BasaltException(ErrorCode.ANALYSIS_ERROR, MESSAGE);
    }
  }

  static boolean isSketch(RelDataType type) {
    return switch (type.getSqlTypeName()) {
      case VARBINARY, BINARY ->
          type.getPrecision() == CalciteTypes.BITMAP_PRECISION
              || type.getPrecision() == CalciteTypes.HLL_PRECISION
              || type.getPrecision() == CalciteTypes.QUANTILE_STATE_PRECISION;
      default -> false;
    };
  }
}
