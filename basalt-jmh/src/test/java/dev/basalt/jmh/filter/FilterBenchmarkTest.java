package dev.basalt.jmh.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.vector.Batch;
import dev.basalt.jmh.RunOnce;
import org.junit.jupiter.api.Test;

class FilterBenchmarkTest {
  @Test
  void runsOnceForEveryPredicate() throws Exception {
    RunOnce.run(FilterBenchmark.class, 6);
  }

  /**
   * Each predicate keeps about the share of rows its values select (a wrong plan keeps 0 or all).
   */
  @Test
  void keepsTheExpectedShareOfRows() {
    assertKeeps("quantity_lt", 23.0 / 50);
    assertKeeps("quantity_between", 11.0 / 50);
    assertKeeps("quantity_in", 5.0 / 50);
    assertKeeps("price_between", 30_000.0 / 100_000);
    assertKeeps("shipmode_eq", 1.0 / 7);
    assertKeeps("shipmode_in", 3.0 / 7);
  }

  private static void assertKeeps(String predicate, double share) {
    FilterBenchmark benchmark = new FilterBenchmark();
    benchmark.predicate = predicate;
    benchmark.setUp();
    double kept = benchmark.filter() / (double) Batch.DEFAULT_SIZE;
    assertThat(kept).as(predicate).isBetween(share - 0.05, share + 0.05);
  }
}
