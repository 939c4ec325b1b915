package dev.basalt.exec.function.scalar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link DivisionKernels#byConstant} (a multiply-high by {@link DivisionKernels#magic} per row)
 * against Java's {@code /} and {@code %} and {@link DivisionKernels#roundedQuotient}, for chosen
 * and seeded random divisors and dividends, the extremes of a long included.
 */
class DivisionByConstantTest {
  private static final long SEED = 20261207L;

  @Test
  void quotientsAndRemaindersMatchDivision() {
    Random random = new Random(SEED);
    List<Long> divisors =
        new ArrayList<>(
            List.of(
                1L,
                2L,
                3L,
                5L,
                6L,
                7L,
                10L,
                25L,
                64L,
                100L,
                128L,
                641L,
                1_000_000_007L,
                10_000_000_000L,
                Long.MAX_VALUE,
                Long.MAX_VALUE - 1,
                1L << 62,
                (1L << 62) + 1,
                -2L,
                -3L,
                -7L,
                -10L,
                -128L,
                -641L,
                Long.MIN_VALUE + 1,
                -(1L << 62)));
    for (int i = 0; i < 200; i++) {
      long divisor = random.nextLong() >> random.nextInt(63);
      if (divisor != 0 && divisor != -1 && divisor != Long.MIN_VALUE) {
        divisors.add(divisor);
      }
    }
    for (long divisor : divisors) {
      long[] dividends = dividends(random, divisor);
      for (DivisionKernels.Kind kind : DivisionKernels.Kind.values()) {
        long[] values = dividends.clone();
        assertThat(DivisionKernels.byConstant(kind, values, divisor, values.length)).isTrue();
        for (int i = 0; i < values.length; i++) {
          long x = dividends[i];
          if (kind == DivisionKernels.Kind.ROUNDED_QUOTIENT && x == Long.MIN_VALUE) {
            continue; // roundedQuotient, the reference, does not take it
          }
          long expected =
              switch (kind) {
                case ROUNDED_QUOTIENT -> DivisionKernels.roundedQuotient(x, divisor);
                case REMAINDER -> x % divisor;
                case TRUNCATED_QUOTIENT -> x / divisor;
              };
          if (values[i] != expected) {
            assertThat(values[i])
                .as(kind + ": " + x + " by " + divisor + " (seed " + SEED + ")")
                .isEqualTo(expected);
          }
        }
      }
    }
  }

  @Test
  void divisorsWithoutALoopAreRefused() {
    for (long divisor : new long[] {0, -1, Long.MIN_VALUE}) {
      long[] values = {5, -5};
      assertThat(
              DivisionKernels.byConstant(
                  DivisionKernels.Kind.TRUNCATED_QUOTIENT, values, divisor, values.length))
          .isFalse();
      assertThat(values).containsExactly(5, -5);
    }
  }

  /** The extremes, values next to multiples of {@code divisor} and halves, and random longs. */
  private static long[] dividends(Random random, long divisor) {
    List<Long> values =
        new ArrayList<>(
            List.of(
                0L,
                1L,
                -1L,
                Long.MAX_VALUE,
                Long.MAX_VALUE - 1,
                Long.MIN_VALUE,
                Long.MIN_VALUE + 1));
    for (int i = 0; i < 300; i++) {
      long multiple = divisor * (random.nextLong() >> random.nextInt(64));
      long half = divisor / 2;
      for (long near :
          new long[] {
            multiple,
            multiple + 1,
            multiple - 1,
            multiple + half,
            multiple - half,
            multiple + half + 1
          }) {
        values.add(near);
      }
      values.add(random.nextLong() >> random.nextInt(64));
    }
    return values.stream().mapToLong(Long::longValue).toArray();
  }
}
