package dev.basalt.jmh.sort;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.memory.QueryMemoryBudget;
import dev.basalt.exec.operator.SortKey;
import dev.basalt.exec.operator.SortOperator;
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
 * ORDER BY through a {@link SortOperator} over {@value #ROWS} rows already in memory as batches of
 * {@link Batch#DEFAULT_SIZE}, shaped like TPC-H's orders: {@code o_orderkey} BIGINT (a random
 * permutation), {@code o_totalprice} a scaled-long DECIMAL(15,2), {@code o_orderdate} a DATE of
 * 2,406 values, {@code o_orderpriority} a VARCHAR of five values sharing the prefix "1-URGENT"-like
 * shape, {@code o_comment}-like VARCHAR(40) strings. The operator reads the batches, sorts, and
 * every output batch is pulled (the gather is part of the sort). Scores are nanoseconds per input
 * row.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SortBenchmark {
  static final int ROWS = 1 << 18;

  private static final List<DataType> TYPES =
      List.of(
          DataType.BIGINT,
          DataType.decimal(15, 2),
          DataType.DATE,
          DataType.varchar(15),
          DataType.varchar(40));

  private static final String[] PRIORITIES = {
    "1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"
  };

  /**
   * {@code bigint}: ORDER BY o_orderkey; {@code decimal_desc}: o_totalprice DESC; {@code
   * date_price}: o_orderdate, o_totalprice DESC (TPC-H q03/q18's shape); {@code string}: o_comment;
   * {@code priority_key}: o_orderpriority, o_orderkey (a string key with many ties); {@code
   * top100}: o_totalprice DESC, o_orderdate LIMIT 100 (a TopN).
   */
  @Param({"bigint", "decimal_desc", "date_price", "string", "priority_key", "top100"})
  public String order;

  private final List<Batch> batches = new ArrayList<>();
  private List<SortKey> keys;
  private long fetch;

  @Setup
  public void setUp() {
    Random random = new Random(42);
    long[] orderKeys = new long[ROWS];
    for (int i = 0; i < ROWS; i++) {
      orderKeys[i] = i * 4L + 1;
    }
    for (int i = ROWS - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long swap = orderKeys[i];
      orderKeys[i] = orderKeys[j];
      orderKeys[j] = swap;
    }
    batches.clear();
    for (int start = 0; start < ROWS; start += Batch.DEFAULT_SIZE) {
      int count = Math.min(Batch.DEFAULT_SIZE, ROWS - start);
      List<ColumnVectorBuilder> builders = new ArrayList<>();
      for (DataType type : TYPES) {
        builders.add(new ColumnVectorBuilder(type, count));
      }
      for (int i = 0; i < count; i++) {
        builders.get(0).appendLong(orderKeys[start + i]);
        builders.get(1).appendDecimal(BigDecimal.valueOf(90_000 + random.nextInt(50_000_000), 2));
        builders.get(2).appendLong(8035 + random.nextInt(2406));
        builders.get(3).appendString(PRIORITIES[random.nextInt(PRIORITIES.length)]);
        StringBuilder comment = new StringBuilder();
        int words = 2 + random.nextInt(5);
        for (int w = 0; w < words; w++) {
          comment.append((char) ('a' + random.nextInt(26))).append("ly ");
          comment.append("final deposits".substring(0, 1 + random.nextInt(13))).append(' ');
        }
        builders.get(4).appendString(comment.toString());
      }
      List<ColumnVector> columns = new ArrayList<>();
      for (ColumnVectorBuilder builder : builders) {
        columns.add(builder.build());
      }
      batches.add(new Batch(columns, count));
    }
    fetch = -1;
    keys =
        switch (order) {
          case "bigint" -> List.of(new SortKey(0, false, true));
          case "decimal_desc" -> List.of(new SortKey(1, true, false));
          case "date_price" -> List.of(new SortKey(2, false, true), new SortKey(1, true, false));
          case "string" -> List.of(new SortKey(4, false, true));
          case "priority_key" -> List.of(new SortKey(3, false, true), new SortKey(0, false, true));
          case "top100" -> {
            fetch = 100;
            yield List.of(new SortKey(1, true, false), new SortKey(2, false, true));
          }
          default -> throw new IllegalArgumentException(order);
        };
  }

  /** Sorts the rows and returns how many came out. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long sort() {
    long rows = 0;
    try (SortOperator sort =
        new SortOperator(
            new BatchesOperator(TYPES, batches), keys, 0, fetch, QueryMemoryBudget.unlimited())) {
      for (Batch batch = sort.next(); batch != null; batch = sort.next()) {
        rows += batch.rowCount();
      }
    }
    return rows;
  }

  /** The first column of the sorted output, for the test that checks the order. */
  List<Batch> sortedBatches() {
    List<Batch> result = new ArrayList<>();
    try (SortOperator sort =
        new SortOperator(
            new BatchesOperator(TYPES, batches), keys, 0, fetch, QueryMemoryBudget.unlimited())) {
      for (Batch batch = sort.next(); batch != null; batch = sort.next()) {
        result.add(batch);
      }
    }
    return result;
  }

  List<SortKey> keys() {
    return keys;
  }
}
