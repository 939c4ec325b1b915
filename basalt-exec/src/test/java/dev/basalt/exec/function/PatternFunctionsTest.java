package dev.basalt.exec.function;

import static dev.basalt.exec.function.FunctionTesting.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.type.DataType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PatternFunctionsTest {

  @Test
  void likeWildcards() {
    assertThat(call("like", str("hello"), str("h%"))).isEqualTo(true);
    assertThat(call("like", str("hello"), str("%llo"))).isEqualTo(true);
    assertThat(call("like", str("hello"), str("%ell%"))).isEqualTo(true);
    assertThat(call("like", str("hello"), str("h_llo"))).isEqualTo(true);
    assertThat(call("like", str("hello"), str("h_lo"))).isEqualTo(false);
    assertThat(call("like", str("hello"), str("hello"))).isEqualTo(true);
    assertThat(call("like", str("hello"), str("Hello"))).isEqualTo(false);
    assertThat(call("like", str(""), str("%"))).isEqualTo(true);
    assertThat(call("like", str(""), str("_"))).isEqualTo(false);
    assertThat(call("like", str("abcabc"), str("%a%c"))).isEqualTo(true);
    assertThat(call("like", str("aXbXc"), str("a%b%c%"))).isEqualTo(true);
    assertThat(call("like", str("mississippi"), str("%iss%pi"))).isEqualTo(true);
    assertThat(call("like", str("mississippi"), str("%iss%px"))).isEqualTo(false);
  }

  @Test
  void likeAgreesWithARegularExpressionOnRandomPatterns() {
    // Patterns of literals and % take a search without backtracking; _ takes the general matcher.
    long seed = 20261206L;
    java.util.Random random = new java.util.Random(seed);
    String alphabet = "ab%_é";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder pattern = new StringBuilder();
      StringBuilder regex = new StringBuilder("(?s)");
      for (int k = random.nextInt(7); k > 0; k--) {
        char c = alphabet.charAt(random.nextInt(random.nextBoolean() ? 3 : alphabet.length()));
        pattern.append(c);
        regex.append(c == '%' ? ".*" : c == '_' ? "." : java.util.regex.Pattern.quote("" + c));
      }
      StringBuilder value = new StringBuilder();
      for (int k = random.nextInt(9); k > 0; k--) {
        value.append("abé".charAt(random.nextInt(3)));
      }
      assertThat(call("like", str(value.toString()), str(pattern.toString())))
          .as("seed %d: '%s' LIKE '%s'", seed, value, pattern)
          .isEqualTo(value.toString().matches(regex.toString()));
    }
  }

  @Test
  void underscoreMatchesOneCharacterNotOneByte() {
    assertThat(call("like", str("日本"), str("__"))).isEqualTo(true);
    assertThat(call("like", str("日本"), str("_"))).isEqualTo(false);
    assertThat(call("like", str("é1"), str("%1"))).isEqualTo(true);
  }

  @Test
  void escapes() {
    assertThat(call("like", str("50%"), str("50\\%"))).isEqualTo(true);
    assertThat(call("like", str("500"), str("50\\%"))).isEqualTo(false);
    assertThat(call("like", str("a_b"), str("a\\_b"))).isEqualTo(true);
    assertThat(call("like", str("axb"), str("a\\_b"))).isEqualTo(false);
    assertThat(call("like", str("a_b"), str("a!_b"), str("!"))).isEqualTo(true);
    assertThat(call("like", str("axb"), str("a!_b"), str("!"))).isEqualTo(false);
  }

  @Test
  void nullsAndNonStrings() {
    assertThat(call("like", nullOf(DataType.STRING), str("%"))).isNull();
    assertThat(call("like", str("a"), nullOf(DataType.STRING))).isNull();
    assertThat(call("like", integer(123), str("1%"))).isEqualTo(true);
  }

  @Test
  void patternChangesBetweenRows() {
    ScalarFunction like =
        FunctionRegistry.builtins()
            .resolveScalar("like", List.of(DataType.STRING, DataType.STRING));
    var values = vector(DataType.STRING, "apple", "apple", "banana", null);
    var patterns = vector(DataType.STRING, "a%", "b%", "b%", "a%");
    assertThat(rows(like.evaluate(List.of(values, patterns), 4, CONTEXT)))
        .isEqualTo(Arrays.asList(true, false, true, null));
  }

  @Test
  void regexpFindsAnywhere() {
    assertThat(call("regexp", str("hello world"), str("o w"))).isEqualTo(true);
    assertThat(call("rlike", str("hello"), str("^h.*o$"))).isEqualTo(true);
    assertThat(call("regexp", str("hello"), str("^e"))).isEqualTo(false);
    assertThat(call("regexp", nullOf(DataType.STRING), str("a"))).isNull();
    assertThatThrownBy(() -> call("regexp", str("a"), str("(")))
        .isInstanceOf(BasaltException.class);
    assertThat(call("regexp_replace", str("a1b22"), str("[0-9]+"), str("#"))).isEqualTo("a#b#");
    assertThat(call("regexp_extract", str("key=value"), str("(\\w+)=(\\w+)"), bigint(2)))
        .isEqualTo("value");
  }

  /** Seeded differential test: LIKE against a regular-expression translation of the pattern. */
  @Test
  void likeAgreesWithARegexReference() {
    long seed = 20240315L;
    java.util.Random random = new java.util.Random(seed);
    String alphabet = "ab%_é";
    int rows = 2000;
    var values = new dev.basalt.common.vector.ColumnVectorBuilder(DataType.STRING);
    var patterns = new dev.basalt.common.vector.ColumnVectorBuilder(DataType.STRING);
    List<Boolean> expected = new java.util.ArrayList<>();
    for (int row = 0; row < rows; row++) {
      String value = randomText(random, "abé", 8);
      String pattern = randomText(random, alphabet, 5);
      values.appendString(value);
      patterns.appendString(pattern);
      StringBuilder regex = new StringBuilder();
      for (char ch : pattern.toCharArray()) {
        regex.append(
            ch == '%' ? ".*" : ch == '_' ? "." : java.util.regex.Pattern.quote(String.valueOf(ch)));
      }
      expected.add(
          java.util.regex.Pattern.compile(regex.toString(), java.util.regex.Pattern.DOTALL)
              .matcher(value)
              .matches());
    }
    ScalarFunction like =
        FunctionRegistry.builtins()
            .resolveScalar("like", List.of(DataType.STRING, DataType.STRING));
    assertThat(rows(like.evaluate(List.of(values.build(), patterns.build()), rows, CONTEXT)))
        .as("seed " + seed)
        .isEqualTo(expected);
  }

  /**
   * A constant pattern (a one-row vector, as literals arrive) is matched over the whole vector at
   * once: random long rows, NULLs and empty rows, keys that straddle two rows, against a regular
   * expression per row. The values hold the keys' bytes often, so every path of the word-at-a-time
   * search (hits, false alarms, tails) is taken.
   */
  @Test
  void constantPatternOverAWholeVectorAgreesWithARegexReference() {
    long seed = 20261207L;
    java.util.Random random = new java.util.Random(seed);
    ScalarFunction like =
        FunctionRegistry.builtins()
            .resolveScalar("like", List.of(DataType.STRING, DataType.STRING));
    assertThat(like.takesConstantVectors()).isTrue();
    List<String> patterns =
        List.of(
            "%ab%",
            "%ab%ba%",
            "%é%",
            "%aab%b",
            "%b",
            "%a",
            "%%",
            "%abcab%",
            "ab%",
            "%a_b%",
            "%",
            "%bbbbbbbbba%",
            "%ba%ab%aa%");
    for (int round = 0; round < 300; round++) {
      String pattern = patterns.get(random.nextInt(patterns.size()));
      int rows = 1 + random.nextInt(300);
      var values = new dev.basalt.common.vector.ColumnVectorBuilder(DataType.STRING);
      List<Boolean> expected = new java.util.ArrayList<>();
      java.util.regex.Pattern regex = java.util.regex.Pattern.compile(likeToRegex(pattern));
      for (int row = 0; row < rows; row++) {
        if (random.nextInt(10) == 0) {
          values.appendNull();
          expected.add(null);
          continue;
        }
        String value = randomText(random, random.nextBoolean() ? "ab" : "abcé ", 40);
        values.appendString(value);
        expected.add(regex.matcher(value).matches());
      }
      var patternVector = vector(DataType.STRING, pattern);
      assertThat(rows(like.evaluate(List.of(values.build(), patternVector), rows, CONTEXT)))
          .as("seed %d, round %d, pattern '%s'", seed, round, pattern)
          .isEqualTo(expected);
    }
  }

  @Test
  void constantNullPatternOrEscapeGivesNull() {
    ScalarFunction like =
        FunctionRegistry.builtins()
            .resolveScalar("like", List.of(DataType.STRING, DataType.STRING, DataType.STRING));
    var values = vector(DataType.STRING, "a%", "b", "a");
    assertThat(
            rows(
                like.evaluate(
                    List.of(values, vector(DataType.STRING, "a!%"), vector(DataType.STRING, "!")),
                    3,
                    CONTEXT)))
        .isEqualTo(Arrays.asList(true, false, false));
    assertThat(
            rows(
                like.evaluate(
                    List.of(
                        values,
                        vector(DataType.STRING, (Object) null),
                        vector(DataType.STRING, "!")),
                    3,
                    CONTEXT)))
        .isEqualTo(Arrays.asList(null, null, null));
    assertThat(
            rows(
                like.evaluate(
                    List.of(
                        values,
                        vector(DataType.STRING, "a%"),
                        vector(DataType.STRING, (Object) null)),
                    3,
                    CONTEXT)))
        .isEqualTo(Arrays.asList(null, null, null));
  }

  /** Constant vectors in any position, a constant value included, answer for every row. */
  @Test
  void constantValuesAndPatternsAnswerEveryRow() {
    ScalarFunction like =
        FunctionRegistry.builtins()
            .resolveScalar("like", List.of(DataType.STRING, DataType.STRING));
    var constantValue = vector(DataType.STRING, "special requests");
    assertThat(
            rows(
                like.evaluate(List.of(constantValue, vector(DataType.STRING, "%re%")), 4, CONTEXT)))
        .isEqualTo(Arrays.asList(true, true, true, true));
    var patterns = vector(DataType.STRING, "%x%", "special%", null, "%requests");
    assertThat(rows(like.evaluate(List.of(constantValue, patterns), 4, CONTEXT)))
        .isEqualTo(Arrays.asList(false, true, null, true));
  }

  private static String likeToRegex(String pattern) {
    StringBuilder regex = new StringBuilder("(?s)");
    for (char ch : pattern.toCharArray()) {
      regex.append(
          ch == '%' ? ".*" : ch == '_' ? "." : java.util.regex.Pattern.quote(String.valueOf(ch)));
    }
    return regex.toString();
  }

  private static String randomText(java.util.Random random, String alphabet, int maximumLength) {
    int length = random.nextInt(maximumLength + 1);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }
}
