package dev.basalt.jmh.decimal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.vector.Int128;
import dev.basalt.jmh.RunOnce;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class Int128KernelBenchmarkTest {
  @Test
  void runsOnce() throws Exception {
    RunOnce.run(Int128KernelBenchmark.class, 5);
  }

  @Test
  void the128BitSumEqualsTheBoxedSum() {
    Int128KernelBenchmark benchmark = new Int128KernelBenchmark();
    benchmark.setUp();
    long[] halves = benchmark.sumInt128();
    assertThat(new BigDecimal(Int128.toBigInteger(halves[0], halves[1]), 2))
        .isEqualTo(benchmark.referenceSum());
    assertThat(benchmark.compareInt128()).isBetween(1, Int128KernelBenchmark.VALUES - 1);
  }

  @Test
  void the128BitQuotientsEqualTheBoxedOnes() {
    Int128KernelBenchmark benchmark = new Int128KernelBenchmark();
    benchmark.setUp();
    benchmark.divideInt128();
    BigDecimal[] expected = benchmark.divideBigDecimal();
    for (int row = 0; row < Int128KernelBenchmark.VALUES; row++) {
      assertThat(benchmark.quotient(row)).as("row " + row).isEqualTo(expected[row]);
    }
  }
}
