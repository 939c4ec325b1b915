package dev.basalt.jmh.encoding;

import dev.basalt.storage.encoding.Encoding;
import dev.basalt.storage.encoding.Int128PageCodec;
import dev.basalt.storage.encoding.LittleEndianInput;
import dev.basalt.storage.encoding.LittleEndianOutput;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Int128PageCodec#decode}: one page of 4096 DECIMAL(15,2) values (DECIMAL and LARGEINT are
 * INT128 pages), prices up to 100,000.00 as TPC-H's {@code l_extendedprice}, in {@link
 * Encoding#PLAIN} (64 KiB, the writer's page target; what segments of format version 2 hold, LZ4
 * not included) and in {@link Encoding#FRAME_OF_REFERENCE} (what the writer chooses since version 3
 * for values that fit in 64 bits). Decoding yields the low and high words per value. Scores are
 * nanoseconds per value.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecimalPageDecoderBenchmark {
  static final int VALUES = 4096;

  @Param({"PLAIN", "FRAME_OF_REFERENCE"})
  public Encoding encoding;

  private byte[] page;
  private long[] low;
  private long[] high;

  @Setup
  public void setUp() {
    Random random = new Random(14);
    low = new long[VALUES];
    high = new long[VALUES];
    for (int i = 0; i < VALUES; i++) {
      low[i] = 90_000 + random.nextInt(10_000_000);
      high[i] = low[i] >> 63;
    }
    LittleEndianOutput output = new LittleEndianOutput(16 * VALUES + 64);
    BigInteger[] bounds = Int128PageCodec.bounds(low, high, VALUES);
    Int128PageCodec.encode(encoding, low, high, VALUES, bounds[0], bounds[1], output);
    page = output.toByteArray();
  }

  @Benchmark
  @OperationsPerInvocation(VALUES)
  public long[] decode() {
    Int128PageCodec.decode(encoding, new LittleEndianInput(page), VALUES, low, high);
    return low;
  }
}
