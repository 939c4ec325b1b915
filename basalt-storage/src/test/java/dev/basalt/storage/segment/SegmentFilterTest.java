package dev.basalt.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.storage.encoding.Compression;
import dev.basalt.storage.fs.InMemoryFileSystem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Filtered segment reads ({@link SegmentFilter}): the rows returned equal an unfiltered read
 * filtered afterwards, on seeded random data with NULLs, while zone maps skip row ranges and whole
 * segments and the non-filter columns are decoded only where rows survive.
 */
class SegmentFilterTest {
  private static final String PATH = "data/db1/t1/p0/tablet1/seg_0001.bsg";
  private static final SegmentWriterOptions SMALL_PAGES =
      new SegmentWriterOptions(Compression.LZ4, 64 * 1024, 300, null);

  /** k: sorted BIGINT (the sort key); d: random DECIMAL; s: strings; x: LARGEINT; f: DOUBLE. */
  private static final List<DataType> TYPES =
      List.of(
          DataType.BIGINT,
          DataType.decimal(15, 2),
          DataType.varchar(100),
          DataType.LARGEINT,
          DataType.DOUBLE,
          DataType.DATE);

  private final InMemoryFileSystem fileSystem = new InMemoryFileSystem();

  private List<List<Object>> writeRandom(long seed, int rows) {
    Random random = new Random(seed);
    List<SegmentColumn> schema = new ArrayList<>();
    List<List<Object>> columns = new ArrayList<>();
    for (int c = 0; c < TYPES.size(); c++) {
      schema.add(new SegmentColumn(10 + c, TYPES.get(c), true));
      TestData.Shape shape = c == 0 ? TestData.Shape.SORTED : TestData.Shape.RANDOM;
      columns.add(TestData.values(TYPES.get(c), rows, c == 0 ? 0.01 : 0.2, shape, random));
    }
    try (SegmentWriter writer = new SegmentWriter(fileSystem, PATH, schema, SMALL_PAGES)) {
      TestData.appendAll(writer, schema, columns, random);
      writer.finish();
    }
    return columns;
  }

  private static List<ColumnRequest> requests() {
    List<ColumnRequest> requests = new ArrayList<>();
    for (int c = 0; c < TYPES.size(); c++) {
      requests.add(ColumnRequest.of(10 + c));
    }
    return requests;
  }

  /** {@code low <= k <= high AND (d IS NULL OR d > threshold)}, dropping rows {@code % 7 == 3}. */
  private record Predicate(long low, long high, BigDecimal threshold) {
    boolean test(long row, Object k, Object d) {
      return row % 7 != 3
          && k != null
          && (Long) k >= low
          && (Long) k <= high
          && (d == null || ((BigDecimal) d).compareTo(threshold) > 0);
    }

    SegmentFilter filter() {
      return new SegmentFilter(
          new int[] {0, 1},
          List.of(
              new ColumnBound(0, ColumnBound.Comparison.GREATER_OR_EQUAL, low),
              new ColumnBound(0, ColumnBound.Comparison.LESS_OR_EQUAL, high)),
          (Batch batch, long firstRow, int[] selected) -> {
            int kept = 0;
            for (int row = 0; row < batch.rowCount(); row++) {
              if (test(
                  firstRow + row, batch.column(0).getObject(row), batch.column(1).getObject(row))) {
                selected[kept++] = row;
              }
            }
            return kept;
          });
    }
  }

  @Test
  void filteredReadsEqualFilteringAnUnfilteredReadAndSkipByZoneMaps() {
    for (long seed = 1; seed <= 6; seed++) {
      Random random = new Random(seed * 31);
      int rows = 40_000 + random.nextInt(20_000);
      List<List<Object>> columns = writeRandom(seed, rows);
      long first = (Long) columns.get(0).stream().filter(v -> v != null).findFirst().orElseThrow();
      long span = 3L * rows;
      long low = first + (long) (random.nextDouble() * span * 0.6);
      long high = low + (long) (random.nextDouble() * span * 0.3);
      Predicate predicate =
          new Predicate(low, high, BigDecimal.valueOf(random.nextInt(2000) - 1000, 2));
      List<List<Object>> expected = new ArrayList<>();
      for (int c = 0; c < TYPES.size(); c++) {
        expected.add(new ArrayList<>());
      }
      for (int row = 0; row < rows; row++) {
        if (predicate.test(row, columns.get(0).get(row), columns.get(1).get(row))) {
          for (int c = 0; c < TYPES.size(); c++) {
            expected.get(c).add(columns.get(c).get(row));
          }
        }
      }
      ScanCounters filtered = new ScanCounters();
      ScanCounters unfiltered = new ScanCounters();
      try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
        List<List<Object>> read =
            TestData.drain(
                reader.read(requests(), 0, rows, predicate.filter(), filtered), TYPES.size());
        assertThat(read).as("seed %d, %s", seed, predicate).isEqualTo(expected);
        TestData.drain(reader.read(requests(), 0, rows, null, unfiltered), TYPES.size());
      }
      assertThat(filtered.rowsReturned()).isEqualTo(expected.get(0).size());
      assertThat(filtered.rowsScanned()).isEqualTo(rows);
      // k is sorted and the range covers at most 30% of it: most batches are never decoded.
      assertThat(filtered.rowsSkippedByZoneMaps()).as("seed %d", seed).isGreaterThan(rows / 3);
      assertThat(filtered.pagesDecoded())
          .as("seed %d", seed)
          .isLessThan(unfiltered.pagesDecoded() / 2);
    }
  }

  /**
   * {@link BatchStream#nextSelected()} of a filtered read: a batch keeping at least half its rows
   * comes with its selection over wholly decoded columns, a sparser one compacted as {@code next()}
   * gives it; either way the selected rows are the rows a plain filtered read returns.
   */
  @Test
  void selectedReadsHandDenseSelectionsOnAndReturnTheSameRows() {
    for (long seed = 1; seed <= 4; seed++) {
      int rows = 30_000;
      List<List<Object>> columns = writeRandom(seed, rows);
      long first = (Long) columns.get(0).stream().filter(v -> v != null).findFirst().orElseThrow();
      // Every k: the dense filter drops the rows % 7 == 3 (and d at or below -10^13); the sparse
      // one keeps only the rows where d is NULL (about 1 in 5) or above 10^13.
      BigDecimal huge = BigDecimal.TEN.pow(13);
      for (BigDecimal threshold : new BigDecimal[] {huge.negate(), huge}) {
        Predicate predicate = new Predicate(first, Long.MAX_VALUE, threshold);
        boolean dense = threshold.signum() < 0;
        try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
          List<List<Object>> expected =
              TestData.drain(
                  reader.read(requests(), 0, rows, predicate.filter(), new ScanCounters()),
                  TYPES.size());
          BatchStream selected =
              reader.read(requests(), 0, rows, predicate.filter(), new ScanCounters());
          int[] batches = new int[2]; // with a selection, without
          BatchStream compacting =
              () -> {
                Batch batch = selected.nextSelected();
                if (batch == null) {
                  return null;
                }
                batches[batch.hasSelection() ? 0 : 1]++;
                if (batch.hasSelection()) {
                  assertThat(batch.selectedCount() * 2).isGreaterThanOrEqualTo(batch.rowCount());
                }
                return batch.compacted();
              };
          assertThat(TestData.drain(compacting, TYPES.size()))
              .as("seed %d, dense %s", seed, dense)
              .isEqualTo(expected);
          if (dense) {
            assertThat(batches[0]).as("seed %d", seed).isGreaterThan(0);
          } else {
            assertThat(batches[0]).as("seed %d", seed).isZero();
          }
        }
      }
    }
  }

  /**
   * A filter in steps (a selector on f, then a step on d, then a step on s and the date) returns
   * the rows of the same condition tested by one selector, through {@code next()} and {@code
   * nextSelected()}, whether the first step keeps few rows (the later steps' columns are decoded
   * only at those) or many (decoded for every row).
   */
  @Test
  void filterStepsReturnTheRowsOfOneSelectorTestingEverything() {
    for (long seed = 1; seed <= 4; seed++) {
      int rows = 30_000;
      List<List<Object>> columns = writeRandom(seed, rows);
      List<Double> doubles = new ArrayList<>();
      for (Object value : columns.get(4)) {
        if (value != null) {
          doubles.add(((Number) value).doubleValue());
        }
      }
      doubles.sort(null);
      Random random = new Random(seed);
      for (double fraction : new double[] {0.02, 0.3, 0.7, 1.0}) {
        double limit = doubles.get((int) (fraction * (doubles.size() - 1)));
        BigDecimal threshold = BigDecimal.valueOf(random.nextInt(2000) - 1000, 2);
        int modulus = 2 + random.nextInt(3);
        java.util.function.BiPredicate<Batch, Integer> onF =
            (batch, row) ->
                !batch.column(0).isNull(row)
                    && ((Number) batch.column(0).getObject(row)).doubleValue() <= limit;
        java.util.function.BiPredicate<Batch, Integer> onD =
            (batch, row) ->
                batch.column(0).isNull(row)
                    || ((BigDecimal) batch.column(0).getObject(row)).compareTo(threshold) > 0;
        java.util.function.BiPredicate<Batch, Integer> onSAndDate =
            (batch, row) ->
                !batch.column(0).isNull(row)
                    && Math.floorMod(
                            batch.column(0).getObject(row).hashCode()
                                + java.util.Objects.hashCode(batch.column(1).getObject(row)),
                            modulus)
                        != 0;
        SegmentFilter oneSelector =
            new SegmentFilter(
                new int[] {4, 1, 2, 5},
                List.of(),
                (batch, firstRow, selected) -> {
                  int kept = 0;
                  for (int row = 0; row < batch.rowCount(); row++) {
                    if (onF.test(batch, row)
                        && onD.test(new Batch(List.of(batch.column(1)), batch.rowCount()), row)
                        && onSAndDate.test(
                            new Batch(List.of(batch.column(2), batch.column(3)), batch.rowCount()),
                            row)) {
                      selected[kept++] = row;
                    }
                  }
                  return kept;
                });
        SegmentFilter inSteps =
            new SegmentFilter(
                new int[] {4},
                List.of(),
                (batch, firstRow, selected) -> {
                  int kept = 0;
                  for (int row = 0; row < batch.rowCount(); row++) {
                    if (onF.test(batch, row)) {
                      selected[kept++] = row;
                    }
                  }
                  return kept;
                },
                List.of(
                    new SegmentFilter.Step(new int[] {1}, refiner(onD)),
                    new SegmentFilter.Step(new int[] {2, 5}, refiner(onSAndDate))));
        try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
          List<List<Object>> expected =
              TestData.drain(
                  reader.read(requests(), 0, rows, oneSelector, new ScanCounters()), TYPES.size());
          assertThat(
                  TestData.drain(
                      reader.read(requests(), 0, rows, inSteps, new ScanCounters()), TYPES.size()))
              .as("seed %d, fraction %s", seed, fraction)
              .isEqualTo(expected);
          BatchStream selected = reader.read(requests(), 0, rows, inSteps, new ScanCounters());
          BatchStream compacting =
              () -> {
                Batch batch = selected.nextSelected();
                return batch == null ? null : batch.compacted();
              };
          assertThat(TestData.drain(compacting, TYPES.size()))
              .as("seed %d, fraction %s, selected", seed, fraction)
              .isEqualTo(expected);
        }
      }
    }
  }

  /** A step that keeps the positions whose row passes {@code test}, checking its arguments. */
  private static RowRefiner refiner(java.util.function.BiPredicate<Batch, Integer> test) {
    return (batch, positions, count) -> {
      int kept = 0;
      for (int i = 0; i < count; i++) {
        assertThat(positions[i]).isLessThan(batch.rowCount());
        if (i > 0) {
          assertThat(positions[i]).isGreaterThan(positions[i - 1]);
        }
        if (test.test(batch, positions[i])) {
          positions[kept++] = positions[i];
        }
      }
      return kept;
    };
  }

  /**
   * Pages skipped by zone maps are the pages never loaded: a filter no page can pass decodes none
   * and counts every page of every column read (of a read range that cuts pages too); a range
   * filter counts exactly the pages a reference model finds wholly inside runs of ruled-out
   * batches, and none of them is decoded.
   */
  @Test
  void pagesSkippedByZoneMapsAreThePagesNeverDecoded() {
    for (long seed = 1; seed <= 4; seed++) {
      Random random = new Random(seed * 17);
      int rows = 30_000 + random.nextInt(20_000);
      List<List<Object>> columns = writeRandom(seed, rows);
      long max =
          columns.get(0).stream()
              .filter(v -> v != null)
              .mapToLong(v -> (Long) v)
              .max()
              .orElseThrow();
      try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
        // Nothing passes: every page of the six columns is skipped, none decoded.
        long first = random.nextInt(1000);
        long count = rows - first - random.nextInt(1000);
        SegmentFilter none =
            new SegmentFilter(
                new int[] {0},
                List.of(new ColumnBound(0, ColumnBound.Comparison.GREATER, max)),
                (batch, firstRow, selected) -> 0);
        ScanCounters nothing = new ScanCounters();
        assertThat(TestData.drain(reader.read(requests(), first, count, none, nothing), 6).get(0))
            .isEmpty();
        long overlapping = 0;
        for (int c = 0; c < TYPES.size(); c++) {
          for (PageMetadata page : reader.column(10 + c).pages()) {
            if (page.firstRow() < first + count && page.firstRow() + page.rowCount() > first) {
              overlapping++;
            }
          }
        }
        assertThat(nothing.pagesDecoded()).as("seed %d", seed).isZero();
        assertThat(nothing.pagesSkippedByZoneMaps()).as("seed %d", seed).isEqualTo(overlapping);

        // A range of k: the model marks each 4,096-row batch whose k pages rule the range out.
        long low = max / 3 + random.nextInt(1000);
        long high = low + max / 4;
        Predicate predicate = new Predicate(low, high, BigDecimal.valueOf(-1_000_000));
        List<PageMetadata> keyPages = reader.column(10).pages();
        boolean[] ruledOut = new boolean[(rows + Batch.DEFAULT_SIZE - 1) / Batch.DEFAULT_SIZE];
        for (int batch = 0; batch < ruledOut.length; batch++) {
          long start = (long) batch * Batch.DEFAULT_SIZE;
          long end = Math.min(rows, start + Batch.DEFAULT_SIZE);
          boolean lowMayHold = false;
          boolean highMayHold = false;
          for (PageMetadata page : keyPages) {
            if (page.firstRow() < end && page.firstRow() + page.rowCount() > start) {
              lowMayHold |= predicate.filter().bounds().get(0).mayMatch(page.zoneMap());
              highMayHold |= predicate.filter().bounds().get(1).mayMatch(page.zoneMap());
            }
          }
          ruledOut[batch] = !(lowMayHold && highMayHold);
        }
        long expected = 0;
        long totalPages = 0;
        for (int c = 0; c < TYPES.size(); c++) {
          for (PageMetadata page : reader.column(10 + c).pages()) {
            totalPages++;
            int firstBatch = (int) (page.firstRow() / Batch.DEFAULT_SIZE);
            int lastBatch = (int) ((page.firstRow() + page.rowCount() - 1) / Batch.DEFAULT_SIZE);
            boolean skipped = true;
            for (int batch = firstBatch; batch <= lastBatch; batch++) {
              skipped &= ruledOut[batch];
            }
            expected += skipped ? 1 : 0;
          }
        }
        ScanCounters ranged = new ScanCounters();
        TestData.drain(reader.read(requests(), 0, rows, predicate.filter(), ranged), 6);
        assertThat(expected).as("seed %d", seed).isPositive();
        assertThat(ranged.pagesSkippedByZoneMaps()).as("seed %d", seed).isEqualTo(expected);
        // A skipped page decoded anyway would push the sum past the pages there are.
        assertThat(ranged.pagesDecoded() + ranged.pagesSkippedByZoneMaps())
            .as("seed %d", seed)
            .isLessThanOrEqualTo(totalPages);
      }
    }
  }

  @Test
  void nonFilterColumnsAreDecodedOnlyWhereRowsSurvive() {
    int rows = 12_000;
    List<List<Object>> columns = writeRandom(42, rows);
    // Keeps only rows in the first batch: the other batches' non-filter pages stay encoded.
    SegmentFilter firstRowsOnly =
        new SegmentFilter(
            new int[] {4},
            List.of(),
            (batch, firstRow, selected) -> {
              int kept = 0;
              for (int row = 0; row < batch.rowCount() && firstRow + row < 10; row++) {
                selected[kept++] = row;
              }
              return kept;
            });
    ScanCounters counters = new ScanCounters();
    try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
      List<List<Object>> read =
          TestData.drain(reader.read(requests(), 0, rows, firstRowsOnly, counters), TYPES.size());
      for (int c = 0; c < TYPES.size(); c++) {
        assertThat(read.get(c)).isEqualTo(columns.get(c).subList(0, 10));
      }
      long filterColumnPages = reader.column(14).pages().size();
      // All pages of the filter column, one page of each of the five others.
      assertThat(counters.pagesDecoded()).isEqualTo(filterColumnPages + 5);
    }
  }

  @Test
  void segmentZoneMapsRuleOutWholeSegments() {
    List<List<Object>> columns = writeRandom(7, 5_000);
    long max =
        columns.get(0).stream().filter(v -> v != null).mapToLong(v -> (Long) v).max().orElseThrow();
    try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
      assertThat(
              reader.mayMatch(
                  requests(), List.of(new ColumnBound(0, ColumnBound.Comparison.GREATER, max))))
          .isFalse();
      assertThat(
              reader.mayMatch(
                  requests(),
                  List.of(new ColumnBound(0, ColumnBound.Comparison.GREATER_OR_EQUAL, max))))
          .isTrue();
      // An integer column compared with a decimal constant.
      assertThat(
              reader.mayMatch(
                  requests(),
                  List.of(
                      new ColumnBound(
                          0,
                          ColumnBound.Comparison.GREATER,
                          BigDecimal.valueOf(max).subtract(new BigDecimal("0.5"))))))
          .isTrue();
    }
  }

  @Test
  void boundsOnlyPruneWhatTheyProve() {
    ZoneMap zone = new ZoneMap(10L, 20L, 3);
    assertThat(new ColumnBound(0, ColumnBound.Comparison.EQUAL, 15L).mayMatch(zone)).isTrue();
    assertThat(new ColumnBound(0, ColumnBound.Comparison.EQUAL, 21L).mayMatch(zone)).isFalse();
    assertThat(new ColumnBound(0, ColumnBound.Comparison.LESS, 10L).mayMatch(zone)).isFalse();
    assertThat(new ColumnBound(0, ColumnBound.Comparison.LESS_OR_EQUAL, 10L).mayMatch(zone))
        .isTrue();
    assertThat(new ColumnBound(0, ColumnBound.Comparison.GREATER, 20L).mayMatch(zone)).isFalse();
    assertThat(
            new ColumnBound(0, ColumnBound.Comparison.GREATER, new BigDecimal("19.99"))
                .mayMatch(zone))
        .isTrue();
    // Only NULLs: no comparison is TRUE.
    assertThat(
            new ColumnBound(0, ColumnBound.Comparison.GREATER, 0L)
                .mayMatch(new ZoneMap(null, null, 5)))
        .isFalse();
    // -0.0 equals 0.0 in SQL, although the zone map orders -0.0 first; NaN never prunes.
    ZoneMap negativeZero = new ZoneMap(-0.0, -0.0, 0);
    assertThat(new ColumnBound(0, ColumnBound.Comparison.EQUAL, 0.0).mayMatch(negativeZero))
        .isTrue();
    assertThat(
            new ColumnBound(0, ColumnBound.Comparison.GREATER_OR_EQUAL, 0.0).mayMatch(negativeZero))
        .isTrue();
    assertThat(
            new ColumnBound(0, ColumnBound.Comparison.LESS, Double.NaN)
                .mayMatch(new ZoneMap(1.0, 2.0, 0)))
        .isTrue();
    // Kinds that do not compare exactly (a double against an integer zone) never prune.
    assertThat(new ColumnBound(0, ColumnBound.Comparison.GREATER, 99.0).mayMatch(zone)).isTrue();
  }
}
