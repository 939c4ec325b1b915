package dev.basalt.exec.expression;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.EvaluationContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code CASE WHEN c1 THEN v1 ... ELSE e END}. Every branch value must already have the result type
 * (the planner inserts casts). A branch is evaluated only over rows that reach it, so {@code CASE
 * WHEN x <> 0 THEN 1 / x END} never evaluates the division for the other rows.
 */
public record CaseExpression(
    List<Expression> conditions, List<Expression> values, Expression otherwise, DataType type)
    implements Expression {

  public CaseExpression {
    conditions = List.copyOf(conditions);
    values = List.copyOf(values);
  }

  @Override
  public ColumnVector evaluate(Batch input, EvaluationContext context) {
    int rows = input.rowCount();
    int[] branchOfRow = new int[rows];
    java.util.Arrays.fill(branchOfRow, -1);
    int undecided = rows;
    int[] remaining = identity(rows);
    for (int branch = 0; branch < conditions.size() && undecided > 0; branch++) {
      Batch subset = Batches.select(input, remaining, undecided);
      LongVector condition = (LongVector) conditions.get(branch).evaluate(subset, context);
      int kept = 0;
      for (int i = 0; i < undecided; i++) {
        if (!condition.isNull(i) && condition.getLong(i) != 0) {
          branchOfRow[remaining[i]] = branch;
        } else {
          remaining[kept++] = remaining[i];
        }
      }
      undecided = kept;
    }
    // Evaluate each branch value over exactly the rows that chose it.
    int branches = conditions.size();
    ColumnVector[] branchValues = new ColumnVector[branches + 1];
    int[][] rowsOfBranch = new int[branches + 1][];
    int[] counts = new int[branches + 1];
    for (int row = 0; row < rows; row++) {
      counts[branchOfRow[row] < 0 ? branches : branchOfRow[row]]++;
    }
    for (int branch = 0; branch <= branches; branch++) {
      rowsOfBranch[branch] = new int[counts[branch]];
      counts[branch] = 0;
    }
    for (int row = 0; row < rows; row++) {
      int branch = branchOfRow[row] < 0 ? branches : branchOfRow[row];
      rowsOfBranch[branch][counts[branch]++] = row;
    }
    List<Expression> all = new ArrayList<>(values);
    all.add(otherwise);
    for (int branch = 0; branch <= branches; branch++) {
      if (counts[branch] > 0 && all.get(branch) != null) {
        branchValues[branch] =
            all.get(branch)
                .evaluate(Batches.select(input, rowsOfBranch[branch], counts[branch]), context);
      }
    }
    ColumnVectorBuilder builder = new ColumnVectorBuilder(type, rows);
    int[] cursor = new int[branches + 1];
    for (int row = 0; row < rows; row++) {
      int branch = branchOfRow[row] < 0 ? branches : branchOfRow[row];
      ColumnVector source = branchValues[branch];
      int position = cursor[branch]++;
      if (source == null) {
        builder.appendNull();
      } else {
        builder.appendFrom(source, position);
      }
    }
    return builder.build();
  }

  private static int[] identity(int rows) {
    int[] result = new int[rows];
    for (int i = 0; i < rows; i++) {
      result[i] = i;
    }
    return result;
  }
}
