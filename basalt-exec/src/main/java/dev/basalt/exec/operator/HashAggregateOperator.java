package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.exec.function.Accumulator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GROUP BY with hash tables, including GROUPING SETS / ROLLUP / CUBE: output rows are the group
 * columns (NULL where a grouping set leaves a column out) followed by the aggregates. With no group
 * columns and a single empty grouping set, one row is produced even for empty input, as SQL
 * requires.
 */
public final class HashAggregateOperator implements Operator {
  private final Operator input;
  private final int[] groupColumns;
  private final List<BitSet> groupingSets;
  private final List<AggregateCall> aggregates;
  private final List<DataType> outputTypes;
  private RowBuffer output;

  /**
   * @param groupColumns the input columns of the union of all grouping sets, in output order
   * @param groupingSets each a subset of {@code groupColumns} positions (bit i = groupColumns[i])
   */
  public HashAggregateOperator(
      Operator input,
      int[] groupColumns,
      List<BitSet> groupingSets,
      List<AggregateCall> aggregates) {
    this.input = input;
    this.groupColumns = groupColumns.clone();
    this.groupingSets = List.copyOf(groupingSets);
    this.aggregates = List.copyOf(aggregates);
    List<DataType> types = new ArrayList<>();
    for (int column : groupColumns) {
      types.add(input.outputTypes().get(column));
    }
    for (AggregateCall aggregate : aggregates) {
      types.add(aggregate.type());
    }
    this.outputTypes = List.copyOf(types);
  }

  @Override
  public List<DataType> outputTypes() {
    return outputTypes;
  }

  @Override
  public Batch next() {
    if (output == null) {
      output = new RowBuffer(outputTypes, aggregateAll());
    }
    return output.next();
  }

  private List<Object[]> aggregateAll() {
    List<Map<List<Object>, Accumulator[]>> tables = new ArrayList<>();
    for (int set = 0; set < groupingSets.size(); set++) {
      tables.add(new LinkedHashMap<>());
    }
    for (Batch batch = input.next(); batch != null; batch = input.next()) {
      List<ColumnVector> columns = batch.columns();
      List<List<ColumnVector>> arguments = new ArrayList<>();
      for (AggregateCall aggregate : aggregates) {
        List<ColumnVector> vectors = new ArrayList<>();
        for (int argument : aggregate.arguments()) {
          vectors.add(columns.get(argument));
        }
        arguments.add(vectors);
      }
      for (int row = 0; row < batch.rowCount(); row++) {
        for (int set = 0; set < groupingSets.size(); set++) {
          BitSet grouping = groupingSets.get(set);
          Object[] key = new Object[groupColumns.length];
          for (int i = 0; i < groupColumns.length; i++) {
            key[i] = grouping.get(i) ? columns.get(groupColumns[i]).getObject(row) : null;
          }
          Accumulator[] accumulators =
              tables.get(set).computeIfAbsent(Arrays.asList(key), unused -> newAccumulators());
          for (int a = 0; a < accumulators.length; a++) {
            int filter = aggregates.get(a).filterColumn();
            if (filter >= 0) {
              ColumnVector condition = columns.get(filter);
              if (condition.isNull(row) || !Boolean.TRUE.equals(condition.getObject(row))) {
                continue;
              }
            }
            accumulators[a].add(arguments.get(a), row);
          }
        }
      }
    }
    List<Object[]> rows = new ArrayList<>();
    for (int set = 0; set < groupingSets.size(); set++) {
      Map<List<Object>, Accumulator[]> table = tables.get(set);
      if (table.isEmpty() && groupingSets.get(set).isEmpty()) {
        table.put(Arrays.asList(new Object[groupColumns.length]), newAccumulators());
      }
      for (Map.Entry<List<Object>, Accumulator[]> entry : table.entrySet()) {
        Object[] row = new Object[outputTypes.size()];
        for (int i = 0; i < groupColumns.length; i++) {
          row[i] = entry.getKey().get(i);
        }
        Accumulator[] accumulators = entry.getValue();
        for (int a = 0; a < accumulators.length; a++) {
          row[groupColumns.length + a] = accumulators[a].result();
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private Accumulator[] newAccumulators() {
    Accumulator[] accumulators = new Accumulator[aggregates.size()];
    for (int i = 0; i < accumulators.length; i++) {
      accumulators[i] = aggregates.get(i).function().newAccumulator();
    }
    return accumulators;
  }

  @Override
  public void close() {
    input.close();
  }
}
