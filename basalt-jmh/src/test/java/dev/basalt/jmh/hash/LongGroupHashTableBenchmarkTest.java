package dev.basalt.jmh.hash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.jmh.RunOnce;
import org.junit.jupiter.api.Test;

class LongGroupHashTableBenchmarkTest {
  @Test
  void runsOnce() throws Exception {
    RunOnce.run(LongGroupHashTableBenchmark.class, 3, "distinct", "1000");
  }

  @Test
  void measuresWhatItSays() {
    LongGroupHashTableBenchmark benchmark = new LongGroupHashTableBenchmark();
    benchmark.distinct = 1000;
    benchmark.setUp();
    assertThat(benchmark.insert()).isEqualTo(1000);
    // Every probe of a present key finds a group id; every absent one finds -1.
    assertThat(benchmark.probeHit()).isGreaterThanOrEqualTo(HashKeys.ROWS);
    assertThat(benchmark.probeMiss()).isEqualTo(-HashKeys.ROWS);
  }
}
