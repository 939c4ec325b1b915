package dev.basalt.jmh.hash;

import dev.basalt.exec.hash.BytesGroupHashTable;
import java.nio.charset.StandardCharsets;
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
 * {@link BytesGroupHashTable}, the general table of GROUP BY and hash join (string, decimal and
 * multi-column keys, serialized by {@link dev.basalt.exec.hash.KeySerializer}): {@link
 * HashKeys#ROWS} keys of 23 bytes each (a null flag, a length and an 18-byte string such as {@code
 * Customer#000012345}, laid out as the serializer writes a VARCHAR key) with {@code distinct}
 * values, inserted into a table that starts small, and probed when all present ({@code probeHit})
 * or all absent ({@code probeMiss}). Scores are nanoseconds per row.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BytesGroupHashTableBenchmark {
  private static final int KEY_LENGTH = 1 + 4 + 18;

  /** Distinct keys: a table that fits the CPU caches, and one that does not. */
  @Param({"1000", "1000000"})
  public int distinct;

  private byte[] keys;
  private byte[] missing;
  private BytesGroupHashTable built;

  @Setup
  public void setUp() {
    int[] numbers = HashKeys.keyNumbers(HashKeys.ROWS, distinct, 14);
    keys = new byte[HashKeys.ROWS * KEY_LENGTH];
    missing = new byte[HashKeys.ROWS * KEY_LENGTH];
    for (int i = 0; i < HashKeys.ROWS; i++) {
      write(keys, i, "Customer#", numbers[i]);
      write(missing, i, "Supplier#", numbers[i]);
    }
    built = new BytesGroupHashTable(HashKeys.INITIAL_GROUPS);
    for (int i = 0; i < HashKeys.ROWS; i++) {
      built.findOrInsert(keys, i * KEY_LENGTH, KEY_LENGTH);
    }
  }

  /** Writes row {@code row}'s key: flag, length, {@code prefix} and nine zero-padded digits. */
  private static void write(byte[] arena, int row, String prefix, int number) {
    byte[] utf8 = prefix.getBytes(StandardCharsets.UTF_8);
    int offset = row * KEY_LENGTH;
    arena[offset] = 1;
    arena[offset + 1] = (byte) (utf8.length + 9);
    System.arraycopy(utf8, 0, arena, offset + 5, utf8.length);
    for (int digit = 8; digit >= 0; digit--) {
      arena[offset + 5 + utf8.length + digit] = (byte) ('0' + number % 10);
      number /= 10;
    }
  }

  @Benchmark
  @OperationsPerInvocation(HashKeys.ROWS)
  public int insert() {
    BytesGroupHashTable table = new BytesGroupHashTable(HashKeys.INITIAL_GROUPS);
    for (int i = 0; i < HashKeys.ROWS; i++) {
      table.findOrInsert(keys, i * KEY_LENGTH, KEY_LENGTH);
    }
    return table.groupCount();
  }

  @Benchmark
  @OperationsPerInvocation(HashKeys.ROWS)
  public long probeHit() {
    long sum = 0;
    for (int i = 0; i < HashKeys.ROWS; i++) {
      sum += built.find(keys, i * KEY_LENGTH, KEY_LENGTH);
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(HashKeys.ROWS)
  public long probeMiss() {
    long sum = 0;
    for (int i = 0; i < HashKeys.ROWS; i++) {
      sum += built.find(missing, i * KEY_LENGTH, KEY_LENGTH);
    }
    return sum;
  }
}
