package dev.basalt.jmh.hash;

import dev.basalt.exec.hash.LongTupleHashTable;
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
 * {@link LongTupleHashTable}, the table of a hash join on two integer keys (TPC-H's {@code
 * (ps_partkey, ps_suppkey)}): inserting {@link HashKeys#ROWS} two-word tuples with {@code distinct}
 * values into a table that starts small, and probing a built table with tuples that are all present
 * ({@code probeHit}) or all absent ({@code probeMiss}). Scores are nanoseconds per row.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LongTupleHashTableBenchmark {
  private static final int WIDTH = 2;

  /** Distinct tuples: a table that fits the CPU caches, and one that does not. */
  @Param({"1000", "1000000"})
  public int distinct;

  private long[] tuples;
  private long[] missing;
  private LongTupleHashTable built;

  @Setup
  public void setUp() {
    long[] first = HashKeys.longKeys(HashKeys.ROWS, distinct, 14);
    tuples = new long[HashKeys.ROWS * WIDTH];
    for (int i = 0; i < HashKeys.ROWS; i++) {
      // The second word depends on the first, as a supplier key does on its part key.
      tuples[i * WIDTH] = first[i];
      tuples[i * WIDTH + 1] = first[i] % 10_007;
    }
    missing = HashKeys.missingLongKeys(HashKeys.ROWS * WIDTH, 15);
    built = new LongTupleHashTable(WIDTH, HashKeys.INITIAL_GROUPS);
    for (int i = 0; i < HashKeys.ROWS; i++) {
      built.findOrInsert(tuples, i * WIDTH);
    }
  }

  @Benchmark
  @OperationsPerInvocation(HashKeys.ROWS)
  public int insert() {
    LongTupleHashTable table = new LongTupleHashTable(WIDTH, HashKeys.INITIAL_GROUPS);
    for (int i = 0; i < HashKeys.ROWS; i++) {
      table.findOrInsert(tuples, i * WIDTH);
    }
    return table.groupCount();
  }

  @Benchmark
  @OperationsPerInvocation(HashKeys.ROWS)
  public long probeHit() {
    long sum = 0;
    for (int i = 0; i < HashKeys.ROWS; i++) {
      sum += built.find(tuples, i * WIDTH);
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(HashKeys.ROWS)
  public long probeMiss() {
    long sum = 0;
    for (int i = 0; i < HashKeys.ROWS; i++) {
      sum += built.find(missing, i * WIDTH);
    }
    return sum;
  }
}
