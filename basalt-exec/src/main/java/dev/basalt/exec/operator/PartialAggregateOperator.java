package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.exec.function.GroupedAccumulator;
import dev.basalt.exec.function.MergeableGroupedAccumulator;
import dev.basalt.exec.memory.MemoryReservation;
import dev.basalt.exec.memory.QueryMemoryBudget;
import java.util.ArrayList;
import java.util.List;

/**
 * The first phase of a two-phase hash aggregation, run in each copy of a parallel scan pipeline:
 * groups its input by the group columns and outputs, per group, the key columns followed by each
 * aggregate's state columns ({@link MergeableGroupedAccumulator#states}), for a final {@link
 * HashAggregateOperator} (see {@link HashAggregateOperator#mergingStates}) that merges what all
 * copies send.
 *
 * <p>It holds a bounded table: when the table reaches {@link #MAX_GROUPS} groups, or the budget
 * refuses more memory, it outputs the states it has and starts a new table. A group may therefore
 * reach the final phase more than once; the final phase merges its states. A flushed table is no
 * longer counted in the budget while its groups are being output (at most {@link #MAX_GROUPS}
 * groups, a batch at a time). With no group columns and no input rows it outputs nothing (the final
 * phase produces the one row SQL requires).
 *
 * <p>Every aggregate must be mergeable and without FILTER columns on keys it does not read; FILTER
 * columns are applied here. Streams: it outputs while it reads. Not thread safe; each pipeline copy
 * has its own.
 */
public final class PartialAggregateOperator implements Operator {
  /** Groups held before the table is flushed downstream. */
  static final int MAX_GROUPS = 1 << 16;

  private final Operator input;
  private final int[] groupColumns;

  private final List<AggregateCall> aggregates;
  private final List<DataType> keyTypes;
  private final List<DataType> outputTypes;
  private final MemoryReservation memory;

  private GroupKeys keys;
  private MergeableGroupedAccumulator[] accumulators;
  private long reported;
  private int[] groupIds = new int[Batch.DEFAULT_SIZE];

  private GroupKeys flushedKeys;
  private MergeableGroupedAccumulator[] flushedAccumulators;
  private int flushedGroup;
  private boolean inputDone;

  public PartialAggregateOperator(
      Operator input,
      int[] groupColumns,
      List<AggregateCall> aggregates,
      QueryMemoryBudget budget) {
    this.input = input;
    this.groupColumns = groupColumns.clone();
    this.aggregates = List.copyOf(aggregates);
    this.memory = budget.reservation("PartialAggregateOperator");
    List<DataType> types = new ArrayList<>();
    for (int column : groupColumns) {
      types.add(input.outputTypes().get(column));
    }
    this.keyTypes = List.copyOf(types);
    for (AggregateCall aggregate : aggregates) {
      types.addAll(stateTypes(aggregate));
    }
    this.outputTypes = List.copyOf(types);
    newTable();
  }

  /** Whether every aggregate of {@code aggregates} can run in two phases. */
  public static boolean supports(List<AggregateCall> aggregates) {
    for (AggregateCall aggregate : aggregates) {
      if (!(aggregate.function().newGroupedAccumulator() instanceof MergeableGroupedAccumulator)) {
        return false;
      }
    }
    return true;
  }

  /** The state column types of one aggregate. */
  static List<DataType> stateTypes(AggregateCall aggregate) {
    return ((MergeableGroupedAccumulator) aggregate.function().newGroupedAccumulator())
        .stateTypes();
  }

  private void newTable() {
    keys = new GroupKeys(keyTypes);
    accumulators = new MergeableGroupedAccumulator[aggregates.size()];
    for (int a = 0; a < accumulators.length; a++) {
      accumulators[a] =
          (MergeableGroupedAccumulator) aggregates.get(a).function().newGroupedAccumulator();
    }
  }

  @Override
  public List<DataType> outputTypes() {
    return outputTypes;
  }

  @Override
  public Batch next() {
    while (true) {
      if (flushedKeys != null) {
        if (flushedGroup < flushedKeys.groupCount()) {
          return flushedBatch();
        }
        flushedKeys = null;
        flushedAccumulators = null;
      }
      if (inputDone) {
        return null;
      }
      Batch batch = input.nextSelected();
      if (batch == null) {
        inputDone = true;
        flush();
      } else if (batch.selectedCount() > 0 && add(batch)) {
        flush();
      }
    }
  }

  /** Aggregates one batch; true when the table should be flushed. */
  private boolean add(Batch batch) {
    // A selected batch is read in place, as HashAggregateOperator reads it.
    AggregationInput rows = AggregationInput.of(batch);
    int rowCount = rows.rowCount();
    if (groupIds.length < rowCount) {
      groupIds = new int[rowCount];
    }
    List<ColumnVector> columns = rows.columns();
    List<ColumnVector> keyColumns = new ArrayList<>(groupColumns.length);
    for (int column : groupColumns) {
      keyColumns.add(columns.get(column));
    }
    keys.groupIds(keyColumns, rows.positions(), rows.count(), groupIds);
    long bytesPerGroup = 0;
    for (int a = 0; a < accumulators.length; a++) {
      AggregateCall aggregate = aggregates.get(a);
      List<ColumnVector> arguments = new ArrayList<>(aggregate.arguments().size());
      for (int argument : aggregate.arguments()) {
        arguments.add(columns.get(argument));
      }
      AggregationInput aggregated =
          aggregate.filterColumn() < 0 ? rows : rows.where(columns.get(aggregate.filterColumn()));
      GroupedAccumulator accumulator = accumulators[a];
      accumulator.ensureGroups(keys.groupCount());
      accumulator.addBatch(arguments, groupIds, aggregated.positions(), aggregated.count());
      bytesPerGroup += accumulator.bytesPerGroup();
    }
    long held = keys.estimatedBytes() + keys.groupCount() * bytesPerGroup;
    boolean refused = false;
    if (held > reported) {
      refused = !memory.tryAdd(held - reported);
      if (!refused) {
        reported = held;
      }
    }
    return refused || keys.groupCount() >= MAX_GROUPS;
  }

  /** Hands the current table to the output and starts an empty one. */
  private void flush() {
    if (keys.groupCount() == 0) {
      return;
    }
    flushedKeys = keys;
    flushedAccumulators = accumulators;
    flushedGroup = 0;
    newTable();
    memory.free(reported);
    reported = 0;
  }

  private Batch flushedBatch() {
    int count = Math.min(Batch.DEFAULT_SIZE, flushedKeys.groupCount() - flushedGroup);
    List<ColumnVector> columns = new ArrayList<>(outputTypes.size());
    for (int column = 0; column < groupColumns.length; column++) {
      columns.add(flushedKeys.keyColumn(column, flushedGroup, count));
    }
    for (MergeableGroupedAccumulator accumulator : flushedAccumulators) {
      accumulator.ensureGroups(flushedKeys.groupCount());
      columns.addAll(accumulator.states(flushedGroup, count));
    }
    flushedGroup += count;
    return new Batch(columns, count);
  }

  @Override
  public void close() {
    memory.close();
    input.close();
  }
}
