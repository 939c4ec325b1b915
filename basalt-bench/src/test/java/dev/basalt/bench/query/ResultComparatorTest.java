package dev.basalt.bench.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultComparatorTest {

  private static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }

  private static BigDecimal number(String text) {
    return new BigDecimal(text);
  }

  @Test
  void numbersAgreeWithinTheRelativeToleranceOrTheCoarserScale() {
    assertThat(ResultComparator.valuesEqual(number("100.000000"), number("100.0000001"))).isTrue();
    assertThat(ResultComparator.valuesEqual(number("25.5"), number("25.50"))).isTrue();
    assertThat(ResultComparator.valuesEqual(number("0.0350"), number("0.034998734"))).isTrue();
    assertThat(ResultComparator.valuesEqual(number("1.23"), number("1.229"))).isTrue();
    assertThat(ResultComparator.valuesEqual(number("1.23"), number("1.25"))).isFalse();
    assertThat(ResultComparator.valuesEqual(number("100"), number("101"))).isFalse();
  }

  @Test
  void textAndNullsCompareExactly() {
    assertThat(ResultComparator.valuesEqual("a", "a")).isTrue();
    assertThat(ResultComparator.valuesEqual("a", "b")).isFalse();
    assertThat(ResultComparator.valuesEqual(null, null)).isTrue();
    assertThat(ResultComparator.valuesEqual(null, number("0"))).isFalse();
  }

  @Test
  void unorderedResultsCompareAsMultisets() {
    List<List<Object>> expected = List.of(row("a", number("1")), row("b", number("2")));
    List<List<Object>> swapped = List.of(row("b", number("2.0")), row("a", number("1")));
    assertThat(ResultComparator.difference(expected, swapped, false)).isNull();
    assertThat(ResultComparator.difference(expected, swapped, true))
        .startsWith("same rows in a different order");
    assertThat(ResultComparator.difference(expected, List.of(row("a", number("1"))), false))
        .isEqualTo("expected 2 rows, got 1");
    assertThat(
            ResultComparator.difference(
                expected, List.of(row("a", number("1")), row("b", number("3"))), true))
        .isEqualTo("row 2 column 2: expected 2, got 3");
  }

  @Test
  void normalizationMakesEnginesComparable() {
    assertThat(ResultRows.normalize(42L)).isEqualTo(BigDecimal.valueOf(42));
    assertThat(ResultRows.normalize(0.5d)).isEqualTo(number("0.5"));
    assertThat(ResultRows.normalize("CHAR      ")).isEqualTo("CHAR");
    assertThat(ResultRows.normalize(java.time.LocalDate.of(1995, 3, 15))).isEqualTo("1995-03-15");
    assertThat(ResultRows.normalize(null)).isNull();
  }
}
