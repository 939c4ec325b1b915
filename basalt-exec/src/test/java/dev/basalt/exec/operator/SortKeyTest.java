package dev.basalt.exec.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SortKeyTest {

  @Test
  void negativeZeroEqualsZeroAndNaNSortsLast() {
    assertThat(SortKey.compareValues(-0.0, 0.0)).isZero();
    assertThat(SortKey.compareValues(-1.0, -0.0)).isNegative();
    assertThat(SortKey.compareValues(Double.NaN, Double.POSITIVE_INFINITY)).isPositive();
    assertThat(SortKey.compareValues(Double.NaN, Double.NaN)).isZero();
  }

  @Test
  void stringsSortInTheOrderOfTheirUtf8Bytes() {
    // U+FF21 (one UTF-16 unit) sorts before U+1F600 (a surrogate pair) by code point and UTF-8,
    // though String.compareTo says the opposite.
    assertThat(SortKey.compareValues("\uFF21", "\uD83D\uDE00")).isNegative();
    Random random = new Random(11);
    String[] alphabet = {"a", "b", "é", "\uFF21", "\uD83D\uDE00", "\uD800\uDC00", ""};
    for (int i = 0; i < 10_000; i++) {
      String left = randomString(random, alphabet);
      String right = randomString(random, alphabet);
      int expected =
          Integer.signum(
              Arrays.compareUnsigned(
                  left.getBytes(StandardCharsets.UTF_8), right.getBytes(StandardCharsets.UTF_8)));
      assertThat(Integer.signum(SortKey.compareValues(left, right)))
          .as("'%s' vs '%s'", left, right)
          .isEqualTo(expected);
    }
  }

  private static String randomString(Random random, String[] alphabet) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(4);
    for (int i = 0; i < length; i++) {
      text.append(alphabet[random.nextInt(alphabet.length)]);
    }
    return text.toString();
  }
}
