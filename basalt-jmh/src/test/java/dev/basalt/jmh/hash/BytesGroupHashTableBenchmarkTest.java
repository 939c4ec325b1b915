package dev.basalt.jmh.hash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.jmh.RunOnce;
import org.junit.jupiter.api.Test;

class BytesGroupHashTableBenchmarkTest {
  @Test
  void runsOnce() throws Exception {
    RunOnce.run(BytesGroupHashTableBenchmark.class, 3, "distinct", "1000");
  }

  @Test
  void measuresWhatItSays() {
    BytesGroupHashTableBenchmark benchmark = new BytesGroupHashTableBenchmark();
    benchmark.distinct = 1000;
    benchmark.setUp();
    assertThat(benchmark.insert()).isEqualTo(1000);
    assertThat(benchmark.probeHit()).isGreaterThanOrEqualTo(HashKeys.ROWS);
    assertThat(benchmark.probeMiss()).isEqualTo(-HashKeys.ROWS);
  }
}
