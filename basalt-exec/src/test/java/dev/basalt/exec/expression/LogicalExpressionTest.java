package dev.basalt.exec.expression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.EvaluationContext;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogicalExpressionTest {
  private static final EvaluationContext CONTEXT = EvaluationContext.now(ZoneId.of("UTC"), "test");

  /** Column 0 and 1 hold every pair of TRUE, FALSE, NULL. */
  private static Batch allPairs() {
    Boolean[] values = {true, false, null};
    ColumnVectorBuilder left = new ColumnVectorBuilder(DataType.BOOLEAN);
    ColumnVectorBuilder right = new ColumnVectorBuilder(DataType.BOOLEAN);
    for (Boolean a : values) {
      for (Boolean b : values) {
        left.appendObject(a);
        right.appendObject(b);
      }
    }
    return new Batch(List.of(left.build(), right.build()), 9);
  }

  private static List<Boolean> evaluate(LogicalExpression.Kind kind) {
    Batch batch = allPairs();
    LogicalExpression expression =
        new LogicalExpression(
            kind,
            List.of(
                new InputReference(0, DataType.BOOLEAN), new InputReference(1, DataType.BOOLEAN)));
    ColumnVector result = expression.evaluate(batch, CONTEXT);
    List<Boolean> values = new ArrayList<>();
    for (int row = 0; row < 9; row++) {
      values.add((Boolean) result.getObject(row));
    }
    return values;
  }

  @Test
  void threeValuedTruthTables() {
    // Rows: (T,T) (T,F) (T,N) (F,T) (F,F) (F,N) (N,T) (N,F) (N,N)
    assertThat(evaluate(LogicalExpression.Kind.AND))
        .containsExactly(true, false, null, false, false, false, null, false, null);
    assertThat(evaluate(LogicalExpression.Kind.OR))
        .containsExactly(true, true, true, true, false, null, true, null, null);
  }

  @Test
  void laterOperandsSeeOnlyUndecidedRows() {
    ColumnVector keys =
        new ColumnVectorBuilder(DataType.BIGINT)
            .appendLong(0)
            .appendLong(5)
            .appendLong(0)
            .appendLong(7)
            .build();
    Batch batch = new Batch(List.of(keys), 4);
    Expression nonZero =
        new Expression() {
          @Override
          public DataType type() {
            return DataType.BOOLEAN;
          }

          @Override
          public ColumnVector evaluate(Batch input, EvaluationContext context) {
            ColumnVectorBuilder result = new ColumnVectorBuilder(DataType.BOOLEAN);
            for (int row = 0; row < input.rowCount(); row++) {
              result.appendObject(((LongVector) input.column(0)).getLong(row) != 0);
            }
            return result.build();
          }
        };
    Expression failsOnZero =
        new Expression() {
          @Override
          public DataType type() {
            return DataType.BOOLEAN;
          }

          @Override
          public ColumnVector evaluate(Batch input, EvaluationContext context) {
            ColumnVectorBuilder result = new ColumnVectorBuilder(DataType.BOOLEAN);
            for (int row = 0; row < input.rowCount(); row++) {
              long key = ((LongVector) input.column(0)).getLong(row);
              if (key == 0) {
                throw new AssertionError("evaluated for a row the first operand already decided");
              }
              result.appendObject(10 / key > 1);
            }
            return result.build();
          }
        };
    ColumnVector result =
        new LogicalExpression(LogicalExpression.Kind.AND, List.of(nonZero, failsOnZero))
            .evaluate(batch, CONTEXT);
    assertThat(
            List.of(
                result.getObject(0), result.getObject(1), result.getObject(2), result.getObject(3)))
        .containsExactly(false, true, false, false);
  }
}
