package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.GroupedAccumulator;
import dev.basalt.exec.memory.MemoryReservation;
import dev.basalt.exec.memory.QueryMemoryBudget;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * GROUP BY with hash tables, including GROUPING SETS / ROLLUP / CUBE: output rows are the group
 * columns (NULL where a grouping set leaves a column out) followed by the aggregates. With no group
 * columns and a single empty grouping set, one row is produced even for empty input, as SQL
 * requires.
 *
 * <p>Each grouping set has its own {@link GroupKeys} (typed hash table giving a group id per row of
 * a batch) and one {@link GroupedAccumulator} per aggregate, updated a whole batch at a time.
 * Groups are output per grouping set in order of first appearance. The hash tables, keys and
 * accumulator states are reserved in the statement's {@link QueryMemoryBudget} (what an
 * accumulator's own objects grow to, as group_concat's text, is not counted); spilling to disk is a
 * later slice of issue 14. Pipeline breaker: the first {@link #next()} reads the whole input. Not
 * thread safe.
 */
public final class HashAggregateOperator implements Operator {
  private final Operator input;
  private final int[] groupColumns;
  private final List<BitSet> groupingSets;
  private final List<AggregateCall> aggregates;
  private final List<DataType> outputTypes;
  private final MemoryReservation memory;

  private GroupKeys[] keys;
  private GroupedAccumulator[][] accumulators;
  private int outputSet;
  private int outputGroup;

  /**
   * @param groupColumns the input columns of the union of all grouping sets, in output order
   * @param groupingSets each a subset of {@code groupColumns} positions (bit i = groupColumns[i])
   */
  public HashAggregateOperator(
      Operator input,
      int[] groupColumns,
      List<BitSet> groupingSets,
      List<AggregateCall> aggregates,
      QueryMemoryBudget budget) {
    this.memory = budget.reservation("HashAggregateOperator");
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
    if (keys == null) {
      aggregateAll();
    }
    while (outputSet < keys.length) {
      GroupKeys groups = keys[outputSet];
      if (outputGroup < groups.groupCount()) {
        return outputBatch();
      }
      outputSet++;
      outputGroup = 0;
    }
    return null;
  }

  private void aggregateAll() {
    List<DataType> inputTypes = input.outputTypes();
    GroupKeys[] tables = new GroupKeys[groupingSets.size()];
    accumulators = new GroupedAccumulator[groupingSets.size()][aggregates.size()];
    int[][] setColumns = new int[groupingSets.size()][];
    for (int set = 0; set < tables.length; set++) {
      BitSet grouping = groupingSets.get(set);
      setColumns[set] = grouping.stream().map(i -> groupColumns[i]).toArray();
      List<DataType> types = new ArrayList<>();
      for (int column : setColumns[set]) {
        types.add(inputTypes.get(column));
      }
      tables[set] = new GroupKeys(types);
      for (int a = 0; a < aggregates.size(); a++) {
        accumulators[set][a] = aggregates.get(a).function().newGroupedAccumulator();
      }
    }
    long bytesPerGroup = 0;
    for (AggregateCall aggregate : aggregates) {
      bytesPerGroup += accumulators[0][aggregates.indexOf(aggregate)].bytesPerGroup();
    }
    int[] groupIds = new int[Batch.DEFAULT_SIZE];
    long reported = 0;
    for (Batch batch = input.next(); batch != null; batch = input.next()) {
      int rowCount = batch.rowCount();
      if (rowCount == 0) {
        continue;
      }
      if (groupIds.length < rowCount) {
        groupIds = new int[rowCount];
      }
      List<ColumnVector> columns = batch.columns();
      List<List<ColumnVector>> arguments = new ArrayList<>(aggregates.size());
      boolean[][] selections = new boolean[aggregates.size()][];
      for (int a = 0; a < aggregates.size(); a++) {
        AggregateCall aggregate = aggregates.get(a);
        List<ColumnVector> vectors = new ArrayList<>(aggregate.arguments().size());
        for (int argument : aggregate.arguments()) {
          vectors.add(columns.get(argument));
        }
        arguments.add(vectors);
        if (aggregate.filterColumn() >= 0) {
          selections[a] = selection(columns.get(aggregate.filterColumn()), rowCount);
        }
      }
      long held = 0;
      for (int set = 0; set < tables.length; set++) {
        GroupKeys groups = tables[set];
        List<ColumnVector> keyColumns = new ArrayList<>(setColumns[set].length);
        for (int column : setColumns[set]) {
          keyColumns.add(columns.get(column));
        }
        groups.groupIds(keyColumns, rowCount, groupIds);
        for (int a = 0; a < aggregates.size(); a++) {
          GroupedAccumulator accumulator = accumulators[set][a];
          accumulator.ensureGroups(groups.groupCount());
          accumulator.addBatch(arguments.get(a), groupIds, rowCount, selections[a]);
        }
        held += groups.estimatedBytes() + groups.groupCount() * bytesPerGroup;
      }
      if (held > reported) {
        memory.add(held - reported);
        reported = held;
      }
    }
    for (int set = 0; set < tables.length; set++) {
      if (groupingSets.get(set).isEmpty()) {
        tables[set].ensureSingleGroup();
        for (GroupedAccumulator accumulator : accumulators[set]) {
          accumulator.ensureGroups(1);
        }
      }
    }
    keys = tables;
  }

  /** Which rows a FILTER (WHERE ...) column selects: TRUE only, not FALSE or NULL. */
  private static boolean[] selection(ColumnVector condition, int rowCount) {
    boolean[] selected = new boolean[rowCount];
    if (condition instanceof LongVector booleans) {
      for (int row = 0; row < rowCount; row++) {
        selected[row] = !booleans.isNull(row) && booleans.getLong(row) != 0;
      }
    } else {
      for (int row = 0; row < rowCount; row++) {
        selected[row] = Boolean.TRUE.equals(condition.getObject(row));
      }
    }
    return selected;
  }

  private Batch outputBatch() {
    GroupKeys groups = keys[outputSet];
    BitSet grouping = groupingSets.get(outputSet);
    int count = Math.min(Batch.DEFAULT_SIZE, groups.groupCount() - outputGroup);
    List<ColumnVector> columns = new ArrayList<>(outputTypes.size());
    int keyColumn = 0;
    for (int i = 0; i < groupColumns.length; i++) {
      if (grouping.get(i)) {
        columns.add(groups.keyColumn(keyColumn++, outputGroup, count));
      } else {
        columns.add(ColumnVectorBuilder.constant(outputTypes.get(i), null, count));
      }
    }
    for (int a = 0; a < aggregates.size(); a++) {
      GroupedAccumulator accumulator = accumulators[outputSet][a];
      ColumnVectorBuilder builder =
          new ColumnVectorBuilder(outputTypes.get(groupColumns.length + a), count);
      for (int group = outputGroup; group < outputGroup + count; group++) {
        builder.appendObject(accumulator.result(group));
      }
      columns.add(builder.build());
    }
    outputGroup += count;
    return new Batch(columns, count);
  }

  @Override
  public void close() {
    memory.close();
    input.close();
  }
}
