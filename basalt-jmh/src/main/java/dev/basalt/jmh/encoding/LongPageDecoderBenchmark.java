package dev.basalt.jmh.encoding;

import dev.basalt.storage.encoding.Encoding;
import dev.basalt.storage.encoding.LittleEndianInput;
import dev.basalt.storage.encoding.LittleEndianOutput;
import dev.basalt.storage.encoding.LongPageCodec;
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
 * {@link LongPageCodec#decode}: one full INT64 page (8192 values, the writer's row limit per page)
 * of every encoding an integer column gets (TINYINT..BIGINT, DATE, DATETIME and BOOLEAN are all
 * INT64 pages), on the data the writer would choose it for: {@code PLAIN} for random 64-bit values,
 * {@code FRAME_OF_REFERENCE} for values in a narrow range (18 bits, like a part key), {@code DELTA}
 * for an ascending sequence with small gaps (like an order key). The page body is uncompressed (LZ4
 * comes before it in a scan). Scores are nanoseconds per value.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LongPageDecoderBenchmark {
  static final int VALUES = 8192;

  @Param({"PLAIN", "FRAME_OF_REFERENCE", "DELTA"})
  public Encoding encoding;

  private byte[] page;
  private long[] destination;

  @Setup
  public void setUp() {
    Random random = new Random(14);
    long[] values = new long[VALUES];
    long previous = 1;
    for (int i = 0; i < VALUES; i++) {
      values[i] =
          switch (encoding) {
            case PLAIN -> random.nextLong();
            case FRAME_OF_REFERENCE -> 1 + random.nextInt(200_000);
            case DELTA -> previous += 1 + random.nextInt(32);
            case DICTIONARY -> throw new IllegalArgumentException("no DICTIONARY for INT64");
          };
    }
    LittleEndianOutput output = new LittleEndianOutput(8 * VALUES + 64);
    LongPageCodec.encode(encoding, values, VALUES, output);
    page = output.toByteArray();
    destination = new long[VALUES];
  }

  @Benchmark
  @OperationsPerInvocation(VALUES)
  public long[] decode() {
    LongPageCodec.decode(encoding, new LittleEndianInput(page), VALUES, destination);
    return destination;
  }
}
