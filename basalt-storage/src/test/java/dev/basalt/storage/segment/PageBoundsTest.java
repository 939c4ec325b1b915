package dev.basalt.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.storage.encoding.Compression;
import dev.basalt.storage.encoding.Encoding;
import dev.basalt.storage.fs.InMemoryFileSystem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Page zone maps are the exact minimum and maximum of the page's values, however the writer finds
 * them: over a dictionary page's distinct values, over every value of a plain page (comparing
 * 8-byte prefixes first), over the longs a frame of reference is built from. Seeded random columns
 * with NULLs and all-NULL pages, empty, multibyte and NUL-ending strings, strings that share long
 * prefixes; checked against a reference computed from the values.
 */
class PageBoundsTest {
  private static final long SEED = 1313L;
  private static final String PATH = "data/db1/t1/p0/tablet1/seg_0001.bsg";
  private static final Comparator<String> UTF8_ORDER =
      (left, right) ->
          Arrays.compareUnsigned(
              left.getBytes(StandardCharsets.UTF_8), right.getBytes(StandardCharsets.UTF_8));

  private final InMemoryFileSystem fileSystem = new InMemoryFileSystem();

  private static String randomString(Random random, String[] pool) {
    if (pool != null) {
      return pool[random.nextInt(pool.length)];
    }
    String[] stems = {"", "a", "abcdefgh", "abcdefghij", "中文", "\u00ff", "zz", "a\0"};
    StringBuilder text = new StringBuilder(stems[random.nextInt(stems.length)]);
    int extra = random.nextInt(5) == 0 ? 0 : random.nextInt(14);
    for (int i = 0; i < extra; i++) {
      text.append(
          switch (random.nextInt(5)) {
            case 0 -> '\0';
            case 1 -> (char) (0x80 + random.nextInt(0x700));
            case 2 -> "😀";
            default -> (char) ('a' + random.nextInt(3));
          });
    }
    return text.toString();
  }

  @Test
  void stringPageBoundsAreTheExactMinimumAndMaximum() {
    Random random = new Random(SEED);
    for (int round = 0; round < 40; round++) {
      int rows = 1 + random.nextInt(3000);
      // A small pool makes dictionary pages, no pool plain ones.
      String[] pool = null;
      if (random.nextBoolean()) {
        pool = new String[1 + random.nextInt(40)];
        for (int i = 0; i < pool.length; i++) {
          pool[i] = randomString(random, null);
        }
      }
      double nullShare = new double[] {0, 0.1, 0.9}[random.nextInt(3)];
      List<Object> values = new ArrayList<>();
      for (int row = 0; row < rows; row++) {
        // Runs of NULLs long enough to fill whole pages.
        boolean nullRun = (row / 150) % 5 == 4 && nullShare > 0;
        values.add(nullRun || random.nextDouble() < nullShare ? null : randomString(random, pool));
      }
      for (Encoding forced : new Encoding[] {null, Encoding.PLAIN, Encoding.DICTIONARY}) {
        SegmentWriterOptions options =
            new SegmentWriterOptions(Compression.LZ4, 64 * 1024, 1 + random.nextInt(300), forced);
        checkPages(DataType.varchar(200), values, options, round);
      }
    }
  }

  @Test
  void longPageBoundsAreTheExactMinimumAndMaximum() {
    Random random = new Random(SEED);
    for (int round = 0; round < 40; round++) {
      int rows = 1 + random.nextInt(3000);
      long base = random.nextLong();
      List<Object> values = new ArrayList<>();
      for (int row = 0; row < rows; row++) {
        boolean nullRun = (row / 150) % 5 == 4 && round % 2 == 0;
        values.add(
            nullRun || random.nextInt(10) == 0
                ? null
                : switch (round % 3) {
                  case 0 -> random.nextLong();
                  case 1 -> base + random.nextInt(100);
                  default -> base + 5L * row;
                });
      }
      SegmentWriterOptions options =
          new SegmentWriterOptions(Compression.LZ4, 64 * 1024, 1 + random.nextInt(300), null);
      checkPages(DataType.BIGINT, values, options, round);
    }
  }

  @SuppressWarnings("unchecked")
  private void checkPages(
      DataType type, List<Object> values, SegmentWriterOptions options, int round) {
    List<SegmentColumn> schema = List.of(new SegmentColumn(7, type, true));
    try (SegmentWriter writer = new SegmentWriter(fileSystem, PATH, schema, options)) {
      TestData.appendAll(writer, schema, List.of(values), new Random(round));
      writer.finish();
    }
    try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
      assertThat(TestData.drain(reader.read(List.of(7)), 1).get(0)).isEqualTo(values);
      for (PageMetadata page : reader.column(7).pages()) {
        List<Object> pageValues =
            values.subList((int) page.firstRow(), (int) page.firstRow() + page.rowCount());
        List<Object> present = pageValues.stream().filter(v -> v != null).toList();
        Object expectedMin = null;
        Object expectedMax = null;
        if (!present.isEmpty()) {
          if (type.kind().isString()) {
            List<String> strings = (List<String>) (List<?>) present;
            expectedMin = strings.stream().min(UTF8_ORDER).orElseThrow();
            expectedMax = strings.stream().max(UTF8_ORDER).orElseThrow();
          } else {
            List<Long> longs = (List<Long>) (List<?>) present;
            expectedMin = longs.stream().min(Long::compare).orElseThrow();
            expectedMax = longs.stream().max(Long::compare).orElseThrow();
          }
        }
        assertThat(page.zoneMap().min())
            .as(
                "min of page at row %d, %s, round %d, seed %d",
                page.firstRow(), options, round, SEED)
            .isEqualTo(expectedMin);
        assertThat(page.zoneMap().max())
            .as(
                "max of page at row %d, %s, round %d, seed %d",
                page.firstRow(), options, round, SEED)
            .isEqualTo(expectedMax);
        assertThat(page.zoneMap().nullCount()).isEqualTo(pageValues.size() - present.size());
      }
    }
  }
}
