package dev.basalt.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.storage.encoding.Compression;
import dev.basalt.storage.fs.InMemoryFileSystem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Zone-map bounds on strings never skip a matching row: seeded random strings (trailing spaces,
 * control characters below the space, empty strings, 2-, 3- and 4-byte UTF-8, U+E000 and above,
 * NULLs, strings longer than the zone map keeps) are written in small pages, sorted or not, and
 * filtered reads with the bounds of {@link ColumnBound#ofStrings} (with and without trailing spaces
 * ignored) and {@link ColumnBound#ofPrefix} return exactly the rows a reference comparison of UTF-8
 * bytes keeps, while sorted data skips pages.
 */
class StringZoneMapTest {
  private static final String PATH = "data/db1/t1/p0/tablet1/seg_0001.bsg";
  private static final SegmentWriterOptions SMALL_PAGES =
      new SegmentWriterOptions(Compression.LZ4, 64 * 1024, 40, null);

  /** Pieces strings are made of; the space and the tab meet the pad-space rule's edge cases. */
  private static final String[] PIECES = {
    "a", "b", "z", " ", " ", "\t", "\u0001", "!", "é", "中", "\uE000", "\uFFFD", "😀", "A", "0"
  };

  private final InMemoryFileSystem fileSystem = new InMemoryFileSystem();

  private static String randomString(Random random) {
    int length = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(6);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append(PIECES[random.nextInt(PIECES.length)]);
    }
    if (random.nextInt(25) == 0) {
      // Longer than the zone map keeps: its page's max is absent, its min a prefix.
      text.append("x".repeat(SegmentFormat.MAX_ZONE_MAP_STRING_BYTES)).append(random.nextInt(9));
    }
    if (random.nextInt(4) == 0) {
      text.append(" ".repeat(1 + random.nextInt(3)));
    }
    return text.toString();
  }

  /** The comparison kernel's rule: UTF-8 bytes unsigned, trailing spaces dropped when padding. */
  private static int reference(String value, String constant, boolean padSpace) {
    byte[] left = value.getBytes(StandardCharsets.UTF_8);
    byte[] right = constant.getBytes(StandardCharsets.UTF_8);
    int leftLength = left.length;
    int rightLength = right.length;
    if (padSpace) {
      while (leftLength > 0 && left[leftLength - 1] == ' ') {
        leftLength--;
      }
      while (rightLength > 0 && right[rightLength - 1] == ' ') {
        rightLength--;
      }
    }
    return Arrays.compareUnsigned(left, 0, leftLength, right, 0, rightLength);
  }

  private static boolean holds(ColumnBound.Comparison comparison, int order) {
    return switch (comparison) {
      case EQUAL -> order == 0;
      case NOT_EQUAL -> order != 0;
      case LESS -> order < 0;
      case LESS_OR_EQUAL -> order <= 0;
      case GREATER -> order > 0;
      case GREATER_OR_EQUAL -> order >= 0;
    };
  }

  /** One filter: bounds for the zone maps, and the exact row test the selector applies. */
  private record Case(
      String text, List<ColumnBound> bounds, java.util.function.Predicate<String> test) {}

  private static Case randomCase(Random random, List<String> values) {
    String constant =
        random.nextInt(3) == 0 || values.isEmpty()
            ? randomString(random)
            : String.valueOf(values.get(random.nextInt(values.size())));
    if (random.nextInt(6) == 0) {
      String prefix = constant.substring(0, Math.min(constant.length(), random.nextInt(4)));
      if (!prefix.isEmpty() && Character.isHighSurrogate(prefix.charAt(prefix.length() - 1))) {
        prefix = prefix.substring(0, prefix.length() - 1);
      }
      String start = prefix;
      return new Case(
          "LIKE '" + prefix + "%'", ColumnBound.ofPrefix(0, prefix), v -> v.startsWith(start));
    }
    ColumnBound.Comparison comparison =
        ColumnBound.Comparison.values()[random.nextInt(ColumnBound.Comparison.values().length)];
    if (random.nextInt(3) == 0) {
      // A row satisfying it under either rule is kept.
      return new Case(
          comparison + " '" + constant + "' under either rule",
          ColumnBound.ofStringsUnderEitherRule(0, comparison, constant),
          v ->
              holds(comparison, reference(v, constant, true))
                  || holds(comparison, reference(v, constant, false)));
    }
    boolean padSpace = random.nextBoolean();
    return new Case(
        comparison + " '" + constant + "' padSpace=" + padSpace,
        ColumnBound.ofStrings(0, comparison, constant, padSpace),
        v -> holds(comparison, reference(v, constant, padSpace)));
  }

  private List<String> write(List<String> values) {
    List<SegmentColumn> schema = List.of(new SegmentColumn(10, DataType.varchar(2000), true));
    List<List<Object>> columns = List.of(new ArrayList<>(values));
    try (SegmentWriter writer = new SegmentWriter(fileSystem, PATH, schema, SMALL_PAGES)) {
      TestData.appendAll(writer, schema, columns, new Random(1));
      writer.finish();
    }
    return values;
  }

  @Test
  void stringBoundsNeverSkipAMatchingRowAndSkipPagesOfSortedStrings() {
    long pagesSkipped = 0;
    long segmentsSkipped = 0;
    for (long seed = 1; seed <= 16; seed++) {
      Random random = new Random(seed);
      // Several batches (a whole batch is what zone maps skip), or one small one.
      int rows = seed % 4 == 0 ? 50 + random.nextInt(1500) : 8_000 + random.nextInt(12_000);
      List<String> values = new ArrayList<>();
      for (int row = 0; row < rows; row++) {
        values.add(random.nextInt(12) == 0 ? null : randomString(random));
      }
      boolean sorted = seed % 3 != 0;
      if (sorted) {
        values.sort(
            (a, b) ->
                a == null || b == null
                    ? Boolean.compare(a != null, b != null)
                    : reference(a, b, false));
      }
      write(values);
      List<String> present = values.stream().filter(v -> v != null).toList();
      try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
        List<ColumnRequest> requests = List.of(ColumnRequest.of(10));
        for (int query = 0; query < 50; query++) {
          Case filter = randomCase(random, present);
          List<Object> expected = new ArrayList<>();
          for (String value : values) {
            if (value != null && filter.test().test(value)) {
              expected.add(value);
            }
          }
          String context = "seed " + seed + ", sorted " + sorted + ", " + filter.text();
          if (!reader.mayMatch(requests, filter.bounds())) {
            assertThat(expected).as(context).isEmpty();
            segmentsSkipped++;
            continue;
          }
          ScanCounters counters = new ScanCounters();
          SegmentFilter segmentFilter =
              new SegmentFilter(
                  new int[] {0},
                  filter.bounds(),
                  (Batch batch, long firstRow, int[] selected) -> {
                    int kept = 0;
                    for (int row = 0; row < batch.rowCount(); row++) {
                      Object value = batch.column(0).getObject(row);
                      if (value != null && filter.test().test((String) value)) {
                        selected[kept++] = row;
                      }
                    }
                    return kept;
                  });
          List<List<Object>> read =
              TestData.drain(reader.read(requests, 0, rows, segmentFilter, counters), 1);
          assertThat(read.get(0)).as(context).isEqualTo(expected);
          pagesSkipped += counters.pagesSkippedByZoneMaps();
        }
      }
    }
    assertThat(pagesSkipped).as("pages skipped by string zone maps").isGreaterThan(1000);
    assertThat(segmentsSkipped).as("segments skipped").isPositive();
  }

  @Test
  void theRuleOfTrailingSpacesAndControlCharacters() {
    // Stored 'a\t' orders below 'a ' but, spaces ignored, 'a ' equals 'a' and 'a\t' is above it.
    ZoneMap zone = new ZoneMap("a\t", "a ", 0);
    assertThat(
            ColumnBound.ofStrings(0, ColumnBound.Comparison.EQUAL, "a", true).stream()
                .allMatch(bound -> bound.mayMatch(zone)))
        .isTrue();
    assertThat(
            ColumnBound.ofStrings(0, ColumnBound.Comparison.EQUAL, "a", false).stream()
                .allMatch(bound -> bound.mayMatch(zone)))
        .isFalse();
    // 'a' followed by spaces is below 'a\u0001' once stripped, above it as stored.
    ZoneMap spaces = new ZoneMap("a   ", "a   ", 0);
    assertThat(
            ColumnBound.ofStrings(0, ColumnBound.Comparison.LESS, "a\u0001", true).stream()
                .allMatch(bound -> bound.mayMatch(spaces)))
        .isTrue();
    // A zone of only 'b' values: nothing differs from 'b'.
    ZoneMap onlyB = new ZoneMap("b", "b", 4);
    assertThat(new ColumnBound(0, ColumnBound.Comparison.NOT_EQUAL, "b").mayMatch(onlyB)).isFalse();
    assertThat(new ColumnBound(0, ColumnBound.Comparison.NOT_EQUAL, "c").mayMatch(onlyB)).isTrue();
    // Code point order, not UTF-16's: U+E000 is below U+1F600.
    ZoneMap emoji = new ZoneMap("😀", "😀", 0);
    assertThat(new ColumnBound(0, ColumnBound.Comparison.LESS, "\uE000").mayMatch(emoji)).isFalse();
    assertThat(new ColumnBound(0, ColumnBound.Comparison.GREATER, "\uE000").mayMatch(emoji))
        .isTrue();
    // An absent max (a string too long to keep) bounds nothing above.
    assertThat(
            new ColumnBound(0, ColumnBound.Comparison.GREATER, "zz")
                .mayMatch(new ZoneMap("a", null, 0)))
        .isTrue();
  }

  @Test
  void boundsThatAreNotWellFormedUtf8AreCutOrDropped() {
    byte[] bad = {'a', (byte) 0xFF, 'b'};
    assertThat(ZoneValues.toPublicMin(DataType.STRING, bad)).isEqualTo("a");
    assertThat(ZoneValues.toPublicMax(DataType.STRING, bad)).isNull();
    byte[] good = "é😀".getBytes(StandardCharsets.UTF_8);
    assertThat(ZoneValues.toPublicMax(DataType.STRING, good)).isEqualTo("é😀");
    // A surrogate encoded in UTF-8 (CESU) and an overlong form are not well-formed.
    assertThat(ZoneValues.validUtf8Prefix(new byte[] {'x', (byte) 0xED, (byte) 0xA0, (byte) 0x80}))
        .isEqualTo(1);
    assertThat(ZoneValues.validUtf8Prefix(new byte[] {(byte) 0xC0, (byte) 0x80})).isZero();
    assertThat(ColumnBound.ofStrings(0, ColumnBound.Comparison.EQUAL, "a\uD800", false)).isEmpty();
  }
}
