package dev.basalt.jmh.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.jmh.RunOnce;
import dev.basalt.storage.encoding.BytesPageCodec;
import dev.basalt.storage.encoding.Encoding;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BytesPageDecoderBenchmarkTest {
  @Test
  void runsOnceForEveryEncoding() throws Exception {
    RunOnce.run(BytesPageDecoderBenchmark.class, 2);
  }

  @Test
  void theDictionaryPageDecodesToShipModes() {
    BytesPageDecoderBenchmark benchmark = new BytesPageDecoderBenchmark();
    benchmark.encoding = Encoding.DICTIONARY;
    benchmark.setUp();
    BytesPageCodec.Values values = benchmark.decode();
    assertThat(values.offsets()).hasSize(BytesPageDecoderBenchmark.VALUES + 1);
    String first = new String(values.bytes(), 0, values.offsets()[1], StandardCharsets.UTF_8);
    assertThat(first).isIn("REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB");
  }
}
