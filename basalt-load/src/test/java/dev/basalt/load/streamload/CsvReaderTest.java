package dev.basalt.load.streamload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

  /** Reads everything; a field prints as its text, NULL as {@code <null>}. */
  private static List<List<String>> read(String body, Map<String, String> headers, int maxLine)
      throws IOException {
    return read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), headers, maxLine);
  }

  private static List<List<String>> read(InputStream input, Map<String, String> headers, int max)
      throws IOException {
    return read(input, headers, max, -1);
  }

  private static List<List<String>> read(
      InputStream input, Map<String, String> headers, int max, long bodyBytes) throws IOException {
    CsvReader reader = new CsvReader(input, StreamLoadOptions.parse(headers), max, bodyBytes);
    List<List<String>> rows = new ArrayList<>();
    SourceRecord record = new SourceRecord();
    while (reader.next(record)) {
      List<String> fields = new ArrayList<>();
      for (int i = 0; i < record.fieldCount; i++) {
        fields.add(
            record.kinds[i] == SourceRecord.NULL
                ? "<null>"
                : new String(
                    record.data[i],
                    record.starts[i],
                    record.ends[i] - record.starts[i],
                    StandardCharsets.UTF_8));
      }
      rows.add(fields);
    }
    return rows;
  }

  /** Hands out at most {@code chunk} bytes per read, as a network body does. */
  private static InputStream trickle(byte[] bytes, int chunk) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] buffer, int offset, int length) {
        return super.read(buffer, offset, Math.min(length, chunk));
      }
    };
  }

  @Test
  void aBodyOfAnnouncedLengthReadsTheSameWhateverTheLengthSays() throws IOException {
    String body = "1,a\n22,bb\n333,ccc";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    List<List<String>> expected = read(body, Map.of("column_separator", ","), 1 << 20);
    assertThat(expected).hasSize(3);
    // Exact (the buffer is the body's size), too small, too large, and in trickles.
    for (long announced : new long[] {bytes.length, 0, 3, bytes.length * 10L, 1 << 30}) {
      assertThat(read(trickle(bytes, 4), Map.of("column_separator", ","), 1 << 20, announced))
          .as("announced %d bytes", announced)
          .isEqualTo(expected);
    }
  }

  @Test
  void theFastPathSplitsLikeStringSplitOnRandomInputAndChunking() throws IOException {
    long seed = 20261206L;
    Random random = new Random(seed);
    StringBuilder body = new StringBuilder();
    List<List<String>> expected = new ArrayList<>();
    for (int line = 0; line < 2000; line++) {
      List<String> fields = new ArrayList<>();
      int count = 1 + random.nextInt(6);
      for (int f = 0; f < count; f++) {
        StringBuilder field = new StringBuilder();
        int length = random.nextInt(line % 50 == 0 ? 40 : 12);
        for (int c = 0; c < length; c++) {
          field.append((char) ('a' + random.nextInt(26)));
        }
        fields.add(field.toString());
      }
      if (fields.size() == 1 && fields.get(0).isEmpty()) {
        fields.set(0, "x");
      }
      expected.add(fields);
      body.append(String.join(",", fields)).append('\n');
    }
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    for (int chunk : new int[] {1, 7, 64, 1 << 20}) {
      assertThat(read(trickle(bytes, chunk), Map.of("column_separator", ","), 1 << 20))
          .as("seed %d, chunk %d", seed, chunk)
          .isEqualTo(expected);
    }
  }

  @Test
  void nullMarkerEmptyLinesAndALastLineWithoutDelimiter() throws IOException {
    assertThat(read("a,\\N,\n\n\nb,,c", Map.of("column_separator", ","), 1000))
        .containsExactly(List.of("a", "<null>", ""), List.of("b", "", "c"));
  }

  @Test
  void encloseEscapeAndMultiByteSeparators() throws IOException {
    assertThat(
            read(
                "\"a::b\"::\"x\"\"y\"::c\\::d##e::\"multi##line\"##",
                Map.of(
                    "column_separator",
                    "::",
                    "line_delimiter",
                    "##",
                    "enclose",
                    "\"",
                    "escape",
                    "\\"),
                1000))
        .containsExactly(List.of("a::b", "x\"y", "c::d"), List.of("e", "multi##line"));
  }

  @Test
  void aLineLongerThanTheLimitFailsTheLoad() {
    String longLine = "x".repeat(5000) + "\n";
    assertThatThrownBy(() -> read("short\n" + longLine, Map.of(), 1000))
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("line 2 is longer than 1000 bytes");
  }

  @Test
  void separatorHeaderForms() {
    assertThat(StreamLoadOptions.separator("column_separator", "\\x01")).containsExactly(1);
    assertThat(StreamLoadOptions.separator("column_separator", "\\x0a0B")).containsExactly(10, 11);
    assertThat(StreamLoadOptions.separator("column_separator", "\\t")).containsExactly('\t');
    assertThat(StreamLoadOptions.separator("column_separator", "||")).containsExactly('|', '|');
    assertThatThrownBy(() -> StreamLoadOptions.separator("column_separator", "\\x1"))
        .hasMessageContaining("hex pairs");
  }
}
