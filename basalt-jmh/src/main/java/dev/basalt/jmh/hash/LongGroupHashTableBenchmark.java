package dev.basalt.jmh.hash;

import dev.basalt.exec.hash.LongGroupHashTable;
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
 * {@link LongGroupHashTable}, the table of a GROUP BY or hash join on one integer key: inserting
 * {@link HashKeys#ROWS} keys with {@code distinct} values into a table that starts at the
 * operators' initial size (so growth is included), and probing a built table with keys that are all
 * present ({@code probeHit}) or all absent ({@code probeMiss}). Scores are nanoseconds per row.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LongGroupHashTableBenchmark {
  /** Distinct keys: a table that fits the CPU caches, and one that does not. */
  @Param({"1000", "1000000"})
  public int distinct;

  private long[] keys;
  private long[] missing;
  private LongGroupHashTable built;

  @Setup
  public void setUp() {
    keys = HashKeys.longKeys(HashKeys.ROWS, distinct, 14);
    missing = HashKeys.missingLongKeys(HashKeys.ROWS, 15);
    built = new LongGroupHashTable(HashKeys.INITIAL_GROUPS);
    for (long key : keys) {
      built.findOrInsert(key);
    }
  }

  @Benchmark
  @OperationsPerInvocation(HashKeys.ROWS)
  public int insert() {
    LongGroupHashTable table = new LongGroupHashTable(HashKeys.INITIAL_GROUPS);
    for (long key : keys) {
      table.findOrInsert(key);
    }
    return table.groupCount();
  }

  @Benchmark
  @OperationsPerInvocation(HashKeys.ROWS)
  public long probeHit() {
    long sum = 0;
    for (long key : keys) {
      sum += built.find(key);
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(HashKeys.ROWS)
  public long probeMiss() {
    long sum = 0;
    for (long key : missing) {
      sum += built.find(key);
    }
    return sum;
  }
}
