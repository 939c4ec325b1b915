package dev.basalt.jmh.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.jmh.RunOnce;
import org.junit.jupiter.api.Test;

class DecimalPageDecoderBenchmarkTest {
  @Test
  void runsOnce() throws Exception {
    RunOnce.run(DecimalPageDecoderBenchmark.class, 1);
  }

  @Test
  void decodesPrices() {
    DecimalPageDecoderBenchmark benchmark = new DecimalPageDecoderBenchmark();
    benchmark.setUp();
    for (long price : benchmark.decode()) {
      assertThat(price).isBetween(90_000L, 10_090_000L);
    }
  }
}
