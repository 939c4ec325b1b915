package dev.basalt.jmh.window;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.function.AggregateFunction;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.memory.QueryMemoryBudget;
import dev.basalt.exec.operator.SortKey;
import dev.basalt.exec.operator.WindowOperator;
import dev.basalt.exec.operator.WindowOperator.Bound;
import dev.basalt.exec.operator.WindowOperator.BoundKind;
import dev.basalt.exec.operator.WindowOperator.Call;
import dev.basalt.exec.operator.WindowOperator.FunctionKind;
import dev.basalt.exec.operator.WindowOperator.Group;
import dev.basalt.jmh.BatchesOperator;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Window aggregates through a {@link WindowOperator} over {@value #ROWS} rows already in memory as
 * batches: {@code id} BIGINT (unique, the order), {@code g} BIGINT ({@value #GROUPS} partitions of
 * 1,024 rows), {@code v} BIGINT, {@code d} DOUBLE and {@code p} a scaled-long DECIMAL(15,2). Each
 * run computes SUM(v), AVG(d), MIN(p) and COUNT(v) over {@code PARTITION BY g ORDER BY id} with the
 * frame of {@link #frame}, and pulls every output batch. Scores are nanoseconds per input row.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WindowBenchmark {
  static final int ROWS = 1 << 18;
  static final int GROUPS = ROWS / 1024;

  private static final List<DataType> TYPES =
      List.of(
          DataType.BIGINT,
          DataType.BIGINT,
          DataType.BIGINT,
          DataType.DOUBLE,
          DataType.decimal(15, 2));

  /**
   * {@code growing}: RANGE UNBOUNDED PRECEDING .. CURRENT ROW (an ordered window's default); {@code
   * sliding}: ROWS 10 PRECEDING .. 10 FOLLOWING; {@code whole}: the whole partition.
   */
  @Param({"growing", "sliding", "whole"})
  public String frame;

  private final List<Batch> batches = new ArrayList<>();
  private Group group;

  @Setup
  public void setUp() {
    Random random = new Random(42);
    batches.clear();
    for (int start = 0; start < ROWS; start += Batch.DEFAULT_SIZE) {
      int count = Math.min(Batch.DEFAULT_SIZE, ROWS - start);
      List<ColumnVectorBuilder> builders = new ArrayList<>();
      for (DataType type : TYPES) {
        builders.add(new ColumnVectorBuilder(type, count));
      }
      for (int i = 0; i < count; i++) {
        builders.get(0).appendLong(start + i);
        builders.get(1).appendLong(random.nextInt(GROUPS));
        builders.get(2).appendLong(random.nextInt(1_000_000) - 500_000);
        builders.get(3).appendDouble(random.nextInt(1_000_000) / 4.0);
        builders.get(4).appendDecimal(BigDecimal.valueOf(random.nextInt(10_000_000), 2));
      }
      List<ColumnVector> columns = new ArrayList<>();
      for (ColumnVectorBuilder builder : builders) {
        columns.add(builder.build());
      }
      batches.add(new Batch(columns, count));
    }
    FunctionRegistry registry = FunctionRegistry.builtins();
    List<Call> calls =
        List.of(
            call(registry, "sum", 2),
            call(registry, "avg", 3),
            call(registry, "min", 4),
            call(registry, "count", 2));
    List<SortKey> order = List.of(new SortKey(0, false, true));
    group =
        switch (frame) {
          case "growing" ->
              new Group(
                  new int[] {1}, order, false, Bound.UNBOUNDED_PRECEDING, Bound.CURRENT_ROW, calls);
          case "sliding" ->
              new Group(
                  new int[] {1},
                  order,
                  true,
                  new Bound(BoundKind.PRECEDING, 10),
                  new Bound(BoundKind.FOLLOWING, 10),
                  calls);
          case "whole" ->
              new Group(
                  new int[] {1},
                  order,
                  false,
                  Bound.UNBOUNDED_PRECEDING,
                  Bound.UNBOUNDED_FOLLOWING,
                  calls);
          default -> throw new IllegalArgumentException(frame);
        };
  }

  private static Call call(FunctionRegistry registry, String name, int column) {
    AggregateFunction function = registry.resolveAggregate(name, List.of(TYPES.get(column)), false);
    return new Call(FunctionKind.AGGREGATE, function, List.of(column), function.returnType());
  }

  /** Computes the window and returns how many rows came out. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long window() {
    return outputBatches().stream().mapToLong(Batch::rowCount).sum();
  }

  /** The window's output batches, for the test that checks them. */
  List<Batch> outputBatches() {
    List<Batch> result = new ArrayList<>();
    try (WindowOperator window =
        new WindowOperator(
            new BatchesOperator(TYPES, batches),
            List.of(group),
            List.of(),
            List.of(),
            QueryMemoryBudget.unlimited())) {
      for (Batch batch = window.next(); batch != null; batch = window.next()) {
        result.add(batch);
      }
    }
    return result;
  }
}
