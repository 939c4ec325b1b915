package dev.basalt.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code LINES STARTING BY}: the filter against a line-by-line reference on seeded inputs. */
class LinePrefixFilterTest {
  @Test
  void keepsWhatFollowsThePrefixAndDropsLinesWithoutIt() throws IOException {
    String input = "xxx1,a\nno prefix here\nabcxxx2,b\nxxx\nxxxxxx3,c";
    assertThat(filtered(input, "xxx", "\n", 7)).isEqualTo("1,a\n2,b\n\nxxx3,c");
  }

  @Test
  void matchesTheReferenceOnRandomInputs() throws IOException {
    String[] prefixes = {"x", "xx", "ab", "aab", "\"", ">>"};
    String[] terminators = {"\n", "\r\n", "||", "aa"};
    for (long seed = 1; seed <= 300; seed++) {
      Random random = new Random(seed);
      String prefix = prefixes[random.nextInt(prefixes.length)];
      String terminator = terminators[random.nextInt(terminators.length)];
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(400);
      String alphabet = "abx\n\r|\">,";
      for (int i = 0; i < length; i++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String input = text.toString();
      int chunk = 1 + random.nextInt(16);
      assertThat(filtered(input, prefix, terminator, chunk))
          .as("seed %d, prefix %s, terminator %s", seed, prefix, terminator)
          .isEqualTo(reference(input, prefix, terminator));
    }
  }

  /** Line by line: split after each terminator, keep what follows the first prefix. */
  private static String reference(String input, String prefix, String terminator) {
    StringBuilder out = new StringBuilder();
    int start = 0;
    while (start < input.length()) {
      int end = input.indexOf(terminator, start);
      int lineEnd = end < 0 ? input.length() : end + terminator.length();
      String body = input.substring(start, end < 0 ? input.length() : end);
      int found = body.indexOf(prefix);
      if (found >= 0) {
        out.append(input, start + found + prefix.length(), lineEnd);
      }
      start = lineEnd;
    }
    return out.toString();
  }

  private static String filtered(String input, String prefix, String terminator, int chunk)
      throws IOException {
    try (InputStream filter =
        new LinePrefixFilter(
            new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
            prefix.getBytes(StandardCharsets.UTF_8),
            terminator.getBytes(StandardCharsets.UTF_8))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[chunk];
      for (int read = filter.read(buffer, 0, chunk); read >= 0; read = filter.read(buffer)) {
        out.write(buffer, 0, read);
      }
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
