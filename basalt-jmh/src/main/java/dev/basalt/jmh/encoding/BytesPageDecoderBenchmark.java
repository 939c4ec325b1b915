package dev.basalt.jmh.encoding;

import dev.basalt.storage.encoding.BytesPageCodec;
import dev.basalt.storage.encoding.Encoding;
import dev.basalt.storage.encoding.LittleEndianInput;
import dev.basalt.storage.encoding.LittleEndianOutput;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
 * {@link BytesPageCodec#decode}: one page of 2048 strings (CHAR, VARCHAR and STRING are BINARY
 * pages) in each encoding a string column gets, on the data the writer would choose it for: {@code
 * PLAIN} for distinct strings of 10 to 43 bytes (like a comment), {@code DICTIONARY} for seven
 * distinct values (like TPC-H's ship modes). Decoding yields one byte array and offsets, the layout
 * of a {@link dev.basalt.common.vector.BytesVector}. Scores are nanoseconds per value.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BytesPageDecoderBenchmark {
  static final int VALUES = 2048;

  private static final String[] SHIP_MODES = {
    "REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"
  };

  @Param({"PLAIN", "DICTIONARY"})
  public Encoding encoding;

  private byte[] page;

  @Setup
  public void setUp() {
    Random random = new Random(14);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int[] offsets = new int[VALUES + 1];
    for (int i = 0; i < VALUES; i++) {
      String value =
          encoding == Encoding.DICTIONARY
              ? SHIP_MODES[random.nextInt(SHIP_MODES.length)]
              : randomText(random, 10 + random.nextInt(34));
      bytes.writeBytes(value.getBytes(StandardCharsets.UTF_8));
      offsets[i + 1] = bytes.size();
    }
    LittleEndianOutput output = new LittleEndianOutput(bytes.size() + 4 * VALUES + 64);
    BytesPageCodec.encode(encoding, bytes.toByteArray(), offsets, VALUES, output);
    page = output.toByteArray();
  }

  private static String randomText(Random random, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append((char) ('a' + random.nextInt(26)));
    }
    return text.toString();
  }

  @Benchmark
  @OperationsPerInvocation(VALUES)
  public BytesPageCodec.Values decode() {
    return BytesPageCodec.decode(encoding, new LittleEndianInput(page), VALUES);
  }
}
