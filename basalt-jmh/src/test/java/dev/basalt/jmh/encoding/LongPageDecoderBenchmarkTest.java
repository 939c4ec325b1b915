package dev.basalt.jmh.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.jmh.RunOnce;
import dev.basalt.storage.encoding.Encoding;
import org.junit.jupiter.api.Test;

class LongPageDecoderBenchmarkTest {
  @Test
  void runsOnceForEveryEncoding() throws Exception {
    RunOnce.run(LongPageDecoderBenchmark.class, 3);
  }

  @Test
  void theDeltaPageDecodesToItsAscendingValues() {
    LongPageDecoderBenchmark benchmark = new LongPageDecoderBenchmark();
    benchmark.encoding = Encoding.DELTA;
    benchmark.setUp();
    long[] values = benchmark.decode();
    for (int i = 1; i < LongPageDecoderBenchmark.VALUES; i++) {
      assertThat(values[i] - values[i - 1]).as("gap at %d", i).isBetween(1L, 32L);
    }
  }
}
