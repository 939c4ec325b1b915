package dev.basalt.jmh.decimal;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.Int128;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The 128-bit kernels of DECIMAL(38,2) on one batch of 4096 values, a third of them beyond 64 bits
 * (as a DECIMAL(38) column of large amounts holds): a checked SUM and a comparison with a constant
 * on {@link Int128} halves read from a 128-bit {@link DecimalVector}, against the same SUM on the
 * {@link BigDecimal}s the boxed layout held before (the reference). Scores are nanoseconds per
 * value.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Int128KernelBenchmark {
  static final int VALUES = 4096;

  private DecimalVector vector;
  private BigDecimal[] boxed;
  private long thresholdHigh;
  private long thresholdLow;

  @Setup
  public void setUp() {
    Random random = new Random(14);
    boxed = new BigDecimal[VALUES];
    for (int i = 0; i < VALUES; i++) {
      BigInteger unscaled = BigInteger.valueOf(random.nextLong() >>> 1);
      if (i % 3 == 0) {
        unscaled = unscaled.shiftLeft(40);
      }
      boxed[i] = new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(), 2);
    }
    vector = new DecimalVector(DataType.decimal(38, 2), boxed.clone(), VALUES);
    BigInteger threshold = BigInteger.ONE.shiftLeft(70);
    thresholdHigh = Int128.high(threshold);
    thresholdLow = Int128.low(threshold);
  }

  /** The checked 128-bit SUM; returns the high and low halves of the total. */
  @Benchmark
  @OperationsPerInvocation(VALUES)
  public long[] sumInt128() {
    long high = 0;
    long low = 0;
    DecimalVector values = vector;
    for (int row = 0; row < VALUES; row++) {
      long valueHigh = values.getHigh(row);
      long valueLow = values.getLow(row);
      high = Int128.addHigh(high, low, valueHigh, valueLow);
      low += valueLow;
    }
    return new long[] {high, low};
  }

  /** The same SUM on boxed values, as before the 128-bit layout. */
  @Benchmark
  @OperationsPerInvocation(VALUES)
  public BigDecimal sumBigDecimal() {
    BigDecimal sum = BigDecimal.ZERO;
    for (BigDecimal value : boxed) {
      sum = sum.add(value);
    }
    return sum;
  }

  /** {@code value > 2^70 / 100} on the halves: the filter kernel against a constant. */
  @Benchmark
  @OperationsPerInvocation(VALUES)
  public int compareInt128() {
    int kept = 0;
    DecimalVector values = vector;
    for (int row = 0; row < VALUES; row++) {
      kept +=
          Int128.compare(values.getHigh(row), values.getLow(row), thresholdHigh, thresholdLow) > 0
              ? 1
              : 0;
    }
    return kept;
  }

  /** The exact total of the batch, for tests. */
  BigDecimal referenceSum() {
    return sumBigDecimal();
  }
}
