package dev.basalt.jmh.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.jmh.RunOnce;
import dev.basalt.storage.encoding.Encoding;
import org.junit.jupiter.api.Test;

class DecimalPageDecoderBenchmarkTest {
  @Test
  void runsOnce() throws Exception {
    RunOnce.run(DecimalPageDecoderBenchmark.class, 2);
  }

  @Test
  void decodesPricesInEitherEncoding() {
    for (Encoding encoding : new Encoding[] {Encoding.PLAIN, Encoding.FRAME_OF_REFERENCE}) {
      DecimalPageDecoderBenchmark benchmark = new DecimalPageDecoderBenchmark();
      benchmark.encoding = encoding;
      benchmark.setUp();
      for (long price : benchmark.decode()) {
        assertThat(price).isBetween(90_000L, 10_090_000L);
      }
    }
  }
}
