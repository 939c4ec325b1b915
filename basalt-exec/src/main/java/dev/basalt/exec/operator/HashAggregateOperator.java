package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.function.GroupedAccumulator;
import dev.basalt.exec.function.MergeableGroupedAccumulator;
import dev.basalt.exec.function.SpillableDistinctAccumulator;
import dev.basalt.exec.memory.MemoryReservation;
import dev.basalt.exec.memory.QueryMemoryBudget;
import dev.basalt.exec.spill.SpillPartitions;
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
 * accumulator states are reserved in the statement's {@link QueryMemoryBudget}, including what
 * grows with the values rather than the groups ({@link GroupedAccumulator#variableBytes}: DISTINCT
 * sets, group_concat's text), so one huge COUNT(DISTINCT x) spills (or, where it cannot, fails
 * alone).
 *
 * <p>The input is read with {@link Operator#nextSelected()}: a selection, of any density, is
 * aggregated in place, group ids computed for the selected rows only and the accumulators handed
 * the selected positions ({@link GroupedAccumulator#addBatch}), as they are handed a FILTER (WHERE
 * ...) clause's ({@link AggregationInput}). Once spilling, batches are compacted first.
 *
 * <p>Spill (one non-empty grouping set, a budget with a spill directory): when the budget refuses
 * more memory the table stops growing. Input rows whose group is already in the table still update
 * it; every other row goes, with the columns the aggregation reads, to a {@link SpillPartitions}
 * partition chosen by the hash of its group key. Each group therefore lives either entirely in
 * memory or entirely in one partition, which is why any aggregate (DISTINCT, group_concat too)
 * spills without a mergeable state. The in-memory groups are output first; then the table is
 * dropped and each partition is aggregated by a new operator one level deeper (its own seed, so a
 * partition that still does not fit splits again), up to {@link SpillPartitions#MAX_LEVEL}, past
 * which the statement fails with MEM_LIMIT_EXCEEDED.
 *
 * <p>Without GROUP BY there is one group and nothing to partition by, but what grows is the
 * DISTINCT aggregates' sets of seen values: when the budget refuses more memory each DISTINCT
 * aggregate that may spill ({@link SpillableDistinctAccumulator#valuesMaySpill}: not group_concat,
 * whose text shows the values' order) stops growing its set and writes the values the set does not
 * hold to partitions by their hash ({@link DistinctValueSpill}); the other aggregates (COUNT(*),
 * SUM(y), group_concat(DISTINCT ...)) go on in memory and fail alone if they outgrow it. At the end
 * of the input the sets are dropped and the partitions folded into the same accumulators one at a
 * time. Pipeline breaker: the first {@link #next()} reads the whole input. Not thread safe.
 */
public final class HashAggregateOperator implements Operator {
  private final Operator input;
  private final int[] groupColumns;
  private final List<BitSet> groupingSets;
  private final List<AggregateCall> aggregates;
  private final List<DataType> outputTypes;
  private final MemoryReservation memory;
  private final QueryMemoryBudget budget;
  private final int level;
  private final boolean mergesStates;

  private GroupKeys[] keys;
  private SpillPartitions spilled;
  private DistinctValueSpill[] distinctSpills;

  /** The distinct values of the batch that found the budget full: held but never reserved. */
  private long unreservedDistinctBytes;

  private int[] spilledColumns;
  private Operator partitionAggregate;
  private int nextPartition;
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
    this(input, groupColumns, groupingSets, aggregates, budget, 0, false);
  }

  /**
   * The final phase of a two-phase aggregation over the output of {@link
   * PartialAggregateOperator}s: {@code groupCount} key columns, then each aggregate's state
   * columns. Groups are merged from the states; output is the same as a one-phase aggregation's
   * (group columns, then the aggregates' results), and it spills the same way.
   *
   * @param aggregates the aggregates as given to the partial phase (their argument and FILTER
   *     columns are those of the partial phase's input and are not used here)
   */
  public static HashAggregateOperator mergingStates(
      Operator input, int groupCount, List<AggregateCall> aggregates, QueryMemoryBudget budget) {
    int[] groupColumns = new int[groupCount];
    BitSet all = new BitSet();
    for (int i = 0; i < groupCount; i++) {
      groupColumns[i] = i;
      all.set(i);
    }
    List<AggregateCall> merges = new ArrayList<>();
    int column = groupCount;
    for (AggregateCall aggregate : aggregates) {
      List<Integer> states = new ArrayList<>();
      for (int i = 0; i < PartialAggregateOperator.stateTypes(aggregate).size(); i++) {
        states.add(column++);
      }
      merges.add(new AggregateCall(aggregate.function(), states, -1));
    }
    return new HashAggregateOperator(input, groupColumns, List.of(all), merges, budget, 0, true);
  }

  /** Whether the input holds partial states to merge rather than rows to aggregate. */
  boolean mergesStates() {
    return mergesStates;
  }

  /** Each aggregate's rows of {@code rows}: narrowed by its FILTER (WHERE ...) where it has one. */
  private AggregationInput[] aggregateRows(AggregationInput rows) {
    AggregationInput[] result = new AggregationInput[aggregates.size()];
    for (int a = 0; a < result.length; a++) {
      int filterColumn = aggregates.get(a).filterColumn();
      result[a] = filterColumn < 0 ? rows : rows.where(rows.columns().get(filterColumn));
    }
    return result;
  }

  /** Adds {@code rows} (aggregate {@code a}'s, from {@link #aggregateRows}) to its groups. */
  private void update(
      GroupedAccumulator accumulator, int a, AggregationInput rows, int[] groupIds) {
    List<ColumnVector> arguments = arguments(a, rows);
    if (mergesStates) {
      ((MergeableGroupedAccumulator) accumulator)
          .mergeStates(arguments, groupIds, rows.positions(), rows.count());
    } else {
      accumulator.addBatch(arguments, groupIds, rows.positions(), rows.count());
    }
  }

  /** Aggregate {@code a}'s argument columns of {@code rows}. */
  private List<ColumnVector> arguments(int a, AggregationInput rows) {
    List<Integer> argumentColumns = aggregates.get(a).arguments();
    List<ColumnVector> arguments = new ArrayList<>(argumentColumns.size());
    for (int argument : argumentColumns) {
      arguments.add(rows.columns().get(argument));
    }
    return arguments;
  }

  /** An aggregation at spill recursion level {@code level} (0 unless over a spilled partition). */
  private HashAggregateOperator(
      Operator input,
      int[] groupColumns,
      List<BitSet> groupingSets,
      List<AggregateCall> aggregates,
      QueryMemoryBudget budget,
      int level,
      boolean mergesStates) {
    this.memory = budget.reservation("HashAggregateOperator");
    this.budget = budget;
    this.level = level;
    this.mergesStates = mergesStates;
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
    return spilled == null ? null : nextSpilledBatch();
  }

  /** Output from the spilled partitions, aggregated one at a time after the in-memory groups. */
  private Batch nextSpilledBatch() {
    if (accumulators != null) {
      // The in-memory groups are out: drop them before the partitions need memory.
      accumulators = null;
      keys = new GroupKeys[0];
      // Everything back, not just the surplus: the deeper aggregations reserve their own.
      memory.close();
    }
    while (true) {
      if (partitionAggregate != null) {
        Batch batch = partitionAggregate.next();
        if (batch != null) {
          return batch;
        }
        partitionAggregate.close();
        partitionAggregate = null;
      }
      if (nextPartition == SpillPartitions.FANOUT) {
        return null;
      }
      int partition = nextPartition++;
      if (spilled.rowCount(partition) == 0) {
        spilled.delete(partition);
        continue;
      }
      partitionAggregate = partitionAggregate(partition);
    }
  }

  /** A new aggregation over a spilled partition, whose columns are {@link #spilledColumns}. */
  private HashAggregateOperator partitionAggregate(int partition) {
    List<DataType> inputTypes = input.outputTypes();
    List<DataType> types = new ArrayList<>();
    for (int column : spilledColumns) {
      types.add(inputTypes.get(column));
    }
    int[] position = new int[inputTypes.size()];
    for (int i = 0; i < spilledColumns.length; i++) {
      position[spilledColumns[i]] = i;
    }
    int[] groups = new int[groupColumns.length];
    for (int i = 0; i < groups.length; i++) {
      groups[i] = position[groupColumns[i]];
    }
    List<AggregateCall> calls = new ArrayList<>();
    for (AggregateCall call : aggregates) {
      List<Integer> arguments = new ArrayList<>();
      for (int argument : call.arguments()) {
        arguments.add(position[argument]);
      }
      calls.add(
          new AggregateCall(
              call.function(),
              arguments,
              call.filterColumn() < 0 ? -1 : position[call.filterColumn()]));
    }
    return new HashAggregateOperator(
        new SpilledPartitionOperator(types, spilled, partition),
        groups,
        groupingSets,
        calls,
        budget,
        level + 1,
        mergesStates);
  }

  /** Whether this aggregation may spill once its budget refuses more memory. */
  private boolean maySpill() {
    return budget.spillDirectory() != null
        && groupingSets.size() == 1
        && !groupingSets.get(0).isEmpty()
        && level < SpillPartitions.MAX_LEVEL;
  }

  /**
   * Whether this aggregation without GROUP BY may spill the values of its DISTINCT aggregates once
   * its budget refuses more memory: at least one of {@code accumulators} can.
   */
  private boolean maySpillDistinctValues(GroupedAccumulator[] accumulators) {
    if (budget.spillDirectory() == null
        || mergesStates
        || groupColumns.length > 0
        || groupingSets.size() != 1) {
      return false;
    }
    for (GroupedAccumulator accumulator : accumulators) {
      if (accumulator instanceof SpillableDistinctAccumulator distinct
          && distinct.valuesMaySpill()) {
        return true;
      }
    }
    return false;
  }

  /** Without GROUP BY: from now on the DISTINCT aggregates that may spill spill unseen values. */
  private void startSpillingDistinctValues() {
    distinctSpills = new DistinctValueSpill[aggregates.size()];
    List<DataType> inputTypes = input.outputTypes();
    for (int a = 0; a < aggregates.size(); a++) {
      if (accumulators[0][a] instanceof SpillableDistinctAccumulator distinct
          && distinct.valuesMaySpill()) {
        List<DataType> types = new ArrayList<>();
        for (int argument : aggregates.get(a).arguments()) {
          types.add(inputTypes.get(argument));
        }
        distinctSpills[a] =
            new DistinctValueSpill(distinct, types, budget.spillDirectory(), memory, level);
      }
    }
  }

  /**
   * At the end of the input: drops the spilling DISTINCT aggregates' sets (returning their memory)
   * and folds their partitions into them, one aggregate and one partition at a time.
   */
  private void foldSpilledDistinctValues() {
    long dropped = 0;
    for (int a = 0; a < distinctSpills.length; a++) {
      if (distinctSpills[a] != null) {
        SpillableDistinctAccumulator distinct = (SpillableDistinctAccumulator) accumulators[0][a];
        dropped += distinct.variableBytes();
        distinct.forgetValues();
        dropped -= distinct.variableBytes();
      }
    }
    // The batch that found the budget full was never reserved: free only what was.
    memory.free(Math.max(0, dropped - unreservedDistinctBytes));
    unreservedDistinctBytes = 0;
    for (int a = 0; a < distinctSpills.length; a++) {
      if (distinctSpills[a] != null) {
        try (DistinctValueSpill spill = distinctSpills[a]) {
          distinctSpills[a] = null;
          spill.fold();
        }
      }
    }
    distinctSpills = null;
  }

  /** The input columns the aggregation reads: group columns, arguments and FILTER columns. */
  private int[] readColumns() {
    java.util.TreeSet<Integer> columns = new java.util.TreeSet<>();
    for (int column : groupColumns) {
      columns.add(column);
    }
    for (AggregateCall call : aggregates) {
      columns.addAll(call.arguments());
      if (call.filterColumn() >= 0) {
        columns.add(call.filterColumn());
      }
    }
    return columns.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Switches to spilling: from now on rows of groups not in the table go to partitions. */
  private void startSpilling() {
    spilledColumns = readColumns();
    List<DataType> inputTypes = input.outputTypes();
    List<DataType> types = new ArrayList<>();
    for (int column : spilledColumns) {
      types.add(inputTypes.get(column));
    }
    int[] keyPositions = new int[groupColumns.length];
    for (int i = 0; i < groupColumns.length; i++) {
      keyPositions[i] = java.util.Arrays.binarySearch(spilledColumns, groupColumns[i]);
    }
    spilled =
        new SpillPartitions(
            budget.spillDirectory(), types, keyPositions, level, memory::addSpilled);
    memory.spillPartitions(SpillPartitions.FANOUT);
  }

  /**
   * Once spilling (batches compacted): rows whose group is in the table update it, the others go to
   * their partition.
   */
  private void spillBatch(Batch batch, List<ColumnVector> keyColumns, int[] groupIds) {
    int rowCount = batch.rowCount();
    GroupKeys groups = keys[0];
    groups.existingGroupIds(keyColumns, rowCount, groupIds);
    int[] found = new int[rowCount];
    int foundCount = 0;
    int[] missing = new int[rowCount];
    int missingCount = 0;
    for (int row = 0; row < rowCount; row++) {
      if (groupIds[row] >= 0) {
        found[foundCount++] = row;
      } else {
        missing[missingCount++] = row;
      }
    }
    if (foundCount > 0) {
      AggregationInput[] foundRows =
          aggregateRows(new AggregationInput(batch.columns(), rowCount, found, foundCount));
      for (int a = 0; a < aggregates.size(); a++) {
        update(accumulators[0][a], a, foundRows[a], groupIds);
      }
    }
    List<ColumnVector> read = new ArrayList<>(spilledColumns.length);
    for (int column : spilledColumns) {
      read.add(batch.column(column));
    }
    spilled.add(new Batch(read, rowCount), missing, missingCount);
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
    boolean maySpill = maySpill();
    boolean maySpillDistinctValues = maySpillDistinctValues(accumulators[0]);
    keys = tables;
    for (Batch batch = input.nextSelected(); batch != null; batch = input.nextSelected()) {
      if (batch.selectedCount() == 0) {
        continue;
      }
      if (spilled != null) {
        batch = batch.compacted();
      }
      AggregationInput rows = AggregationInput.of(batch);
      int rowCount = rows.rowCount();
      if (groupIds.length < rowCount) {
        groupIds = new int[rowCount];
      }
      List<ColumnVector> columns = rows.columns();
      if (spilled != null) {
        List<ColumnVector> keyColumns = new ArrayList<>(setColumns[0].length);
        for (int column : setColumns[0]) {
          keyColumns.add(columns.get(column));
        }
        spillBatch(batch, keyColumns, groupIds);
        continue;
      }
      AggregationInput[] aggregated = aggregateRows(rows);
      long held = 0;
      for (int set = 0; set < tables.length; set++) {
        GroupKeys groups = tables[set];
        List<ColumnVector> keyColumns = new ArrayList<>(setColumns[set].length);
        for (int column : setColumns[set]) {
          keyColumns.add(columns.get(column));
        }
        groups.groupIds(keyColumns, rows.positions(), rows.count(), groupIds);
        for (int a = 0; a < aggregates.size(); a++) {
          GroupedAccumulator accumulator = accumulators[set][a];
          accumulator.ensureGroups(groups.groupCount());
          if (distinctSpills != null && distinctSpills[a] != null) {
            AggregationInput spilledRows = aggregated[a];
            distinctSpills[a].add(
                arguments(a, spilledRows),
                spilledRows.rowCount(),
                spilledRows.positions(),
                spilledRows.count());
          } else {
            update(accumulator, a, aggregated[a], groupIds);
          }
        }
        held += groups.estimatedBytes() + groups.groupCount() * bytesPerGroup;
        for (GroupedAccumulator accumulator : accumulators[set]) {
          held += accumulator.variableBytes();
        }
      }
      if (held > reported) {
        if (maySpill) {
          if (!memory.tryAdd(held - reported)) {
            // This batch's new groups stay (unreserved, at most one batch's worth); no more come.
            startSpilling();
          }
        } else if (maySpillDistinctValues && distinctSpills == null) {
          if (!memory.tryAdd(held - reported)) {
            // Likewise this batch's new distinct values; the sets hold no more.
            unreservedDistinctBytes = held - reported;
            startSpillingDistinctValues();
          }
        } else {
          memory.add(held - reported);
        }
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
    if (distinctSpills != null) {
      foldSpilledDistinctValues();
    }
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
      accumulator.writeResults(outputGroup, count, builder);
      columns.add(builder.build());
    }
    outputGroup += count;
    return new Batch(columns, count);
  }

  @Override
  public void close() {
    try {
      if (partitionAggregate != null) {
        partitionAggregate.close();
      }
    } finally {
      if (spilled != null) {
        spilled.close();
      }
      if (distinctSpills != null) {
        for (DistinctValueSpill spill : distinctSpills) {
          if (spill != null) {
            spill.close();
          }
        }
      }
      memory.close();
      input.close();
    }
  }
}
