package dev.basalt.jmh.decimal;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.Int128;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
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
 * (as a DECIMAL(38) column of large amounts holds): a checked SUM, a comparison with a constant and
 * the division {@code d / e} by a DECIMAL(38,2) divisor (result scale 6: the dividend times 10^6
 * divided, rounded half away from zero) on {@link Int128} halves read from a 128-bit {@link
 * DecimalVector}, against the same SUM and division on the {@link BigDecimal}s the boxed layout
 * held before (the reference). Scores are nanoseconds per value.
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
  private DecimalVector divisors;
  private BigDecimal[] boxedDivisors;
  private final long[] quotientHighs = new long[VALUES];
  private final long[] quotientLows = new long[VALUES];

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
    boxedDivisors = new BigDecimal[VALUES];
    for (int i = 0; i < VALUES; i++) {
      boxedDivisors[i] = BigDecimal.valueOf(1 + random.nextInt(99_999), 2);
    }
    divisors = new DecimalVector(DataType.decimal(38, 2), boxedDivisors.clone(), VALUES);
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

  /**
   * {@code d / e} at scale 6 on the halves: the dividend times 10^6 divided by the divisor, rounded
   * half away from zero ({@link Int128#divideRoundHalfUp}); returns the quotients' low halves.
   */
  @Benchmark
  @OperationsPerInvocation(VALUES)
  public long[] divideInt128() {
    DecimalVector values = vector;
    DecimalVector by = divisors;
    long[] product = new long[1];
    long[] productLow = new long[1];
    long[] quotient = new long[4];
    long factorHigh = Int128.powerOfTenHigh(6);
    long factorLow = Int128.powerOfTenLow(6);
    for (int row = 0; row < VALUES; row++) {
      Int128.multiply(
          values.getHigh(row), values.getLow(row), factorHigh, factorLow, product, productLow, 0);
      Int128.divideRoundHalfUp(
          product[0], productLow[0], by.getHigh(row), by.getLow(row), quotient);
      quotientHighs[row] = quotient[0];
      quotientLows[row] = quotient[1];
    }
    return quotientLows;
  }

  /** The same division on boxed values, as the boxed path computes it. */
  @Benchmark
  @OperationsPerInvocation(VALUES)
  public BigDecimal[] divideBigDecimal() {
    BigDecimal[] quotients = new BigDecimal[VALUES];
    for (int row = 0; row < VALUES; row++) {
      quotients[row] = boxed[row].divide(boxedDivisors[row], 6, RoundingMode.HALF_UP);
    }
    return quotients;
  }

  /** The 128-bit quotient of row {@code row} after {@link #divideInt128}, as a decimal. */
  BigDecimal quotient(int row) {
    return new BigDecimal(Int128.toBigInteger(quotientHighs[row], quotientLows[row]), 6);
  }
}
