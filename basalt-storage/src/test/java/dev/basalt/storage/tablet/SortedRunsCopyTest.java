package dev.basalt.storage.tablet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.storage.encoding.Compression;
import dev.basalt.storage.encoding.Encoding;
import dev.basalt.storage.fs.InMemoryFileSystem;
import dev.basalt.storage.segment.ColumnMetadata;
import dev.basalt.storage.segment.ColumnRequest;
import dev.basalt.storage.segment.PageMetadata;
import dev.basalt.storage.segment.SegmentColumn;
import dev.basalt.storage.segment.SegmentRangeCopier;
import dev.basalt.storage.segment.SegmentReader;
import dev.basalt.storage.segment.SegmentWriter;
import dev.basalt.storage.segment.SegmentWriterOptions;
import dev.basalt.storage.segment.ZoneMap;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * Compaction's page copy for DUPLICATE KEY merges ({@link SortedRuns} plans the runs, {@link
 * SegmentRangeCopier} writes them) against a reference: seeded random segments with small and
 * differing page limits (so every column has its own page boundaries), keys with NULLs and ties
 * across inputs, key ranges disjoint in load order with a few stragglers at each boundary (the JDBC
 * group commit's shape) or overlapping anywhere, DECIMALs held as scaled longs and as 128-bit
 * halves, strings with per-page dictionaries and strings too long for a zone-map bound, random
 * delete marks, and an input that lacks a column added later. The copied output must read back row
 * for row as the reference order (key, then input, then row) and as the same rows re-encoded by
 * {@link SegmentWriter#append}, with the same column zone maps, page zone maps that bound their
 * pages' values, and every page's checksum intact.
 */
class SortedRunsCopyTest {
  private static final long SEED = 20261208L;
  private static final BigDecimal ADDED_DEFAULT = new BigDecimal("-1.50");

  /** k1 BIGINT NULL, k2 VARCHAR keys; v DECIMAL(12,2) NULL, w DECIMAL(30,4), s, t, d, added. */
  private static final List<SegmentColumn> SCHEMA =
      List.of(
          new SegmentColumn(10, DataType.BIGINT, true),
          new SegmentColumn(11, DataType.varchar(8), false),
          new SegmentColumn(12, DataType.decimal(12, 2), true),
          new SegmentColumn(13, DataType.decimal(30, 4), false),
          new SegmentColumn(14, DataType.varchar(20), false),
          new SegmentColumn(15, DataType.STRING, true),
          new SegmentColumn(16, DataType.DOUBLE, true),
          new SegmentColumn(17, DataType.DATE, false),
          new SegmentColumn(18, DataType.decimal(9, 2), true));

  private static final int KEYS = 2;

  @SuppressWarnings("unchecked")
  private static final Comparator<Object[]> BY_KEY =
      Comparator.comparing(
              (Object[] row) -> (Long) row[0], Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(row -> (String) row[1]);

  /** A row of the reference: its values, its input and its row in that input. */
  private record Source(Object[] values, int input, int row) {}

  @Test
  void copiedOutputReadsBackAsTheReferenceAndAsReEncodedRows() {
    long copied = 0;
    long decoded = 0;
    for (int round = 0; round < 60; round++) {
      long[] pages = check(new Random(SEED * 97 + round), round);
      copied += pages[0];
      decoded += pages[1];
    }
    // The disjoint rounds copy most pages; the overlapping ones decode most.
    assertThat(copied).as("pages copied over all rounds").isGreaterThan(decoded / 4);
  }

  @Test
  void keyRangesDisjointInLoadOrderCopyEveryPageOfTheMiddleOfEachInput() {
    InMemoryFileSystem fileSystem = new InMemoryFileSystem();
    SegmentWriterOptions options = SegmentWriterOptions.DEFAULT.withPageLimits(1024, 50);
    Random random = new Random(SEED);
    List<List<Object[]>> inputs = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      List<Object[]> rows = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        Object[] row = randomRow(random, 1_000, true);
        row[0] = (long) (s * 1_000 + i);
        rows.add(row);
      }
      inputs.add(rows);
      write(fileSystem, "in" + s + ".bsg", rows, options, SCHEMA.size());
    }
    long[] pages = copy(fileSystem, inputs.size(), new RoaringBitmap[3], "out.bsg", null);
    try (SegmentReader out = SegmentReader.open(fileSystem, "out.bsg")) {
      int pageCount = 0;
      for (SegmentColumn column : SCHEMA) {
        pageCount += out.column(column.uniqueId()).pages().size();
      }
      assertThat(pages[0]).as("every page copied").isEqualTo(pageCount);
      assertThat(pages[1]).as("no page decoded").isZero();
    }
  }

  /**
   * Pages of a segment an older Basalt wrote (format version 2: plain pages, the same page bytes)
   * are copied into the new segment as they are, not re-encoded.
   */
  @Test
  void pagesOfAVersionTwoSegmentAreCopiedAsStored() {
    InMemoryFileSystem fileSystem = new InMemoryFileSystem();
    SegmentWriterOptions plain =
        SegmentWriterOptions.DEFAULT.withPageLimits(1024, 50).withForcedEncoding(Encoding.PLAIN);
    Random random = new Random(SEED);
    List<Object[]> expected = new ArrayList<>();
    for (int s = 0; s < 2; s++) {
      List<Object[]> rows = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        Object[] row = randomRow(random, 1_000, true);
        row[0] = (long) (s * 1_000 + i);
        rows.add(row);
      }
      expected.addAll(rows);
      write(fileSystem, "in" + s + ".bsg", rows, plain, SCHEMA.size());
      // What version 2 wrote: the same bytes with version 2 in the header and the trailer.
      byte[] file = fileSystem.bytes("in" + s + ".bsg");
      ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
      buffer.putInt(8, 2);
      buffer.putInt(file.length - 16, 2);
      fileSystem.replaceBytes("in" + s + ".bsg", file);
      try (SegmentReader old = SegmentReader.open(fileSystem, "in" + s + ".bsg")) {
        assertThat(old.metadata().formatVersion()).isEqualTo(2);
      }
    }
    long[] pages = copy(fileSystem, 2, new RoaringBitmap[2], "out.bsg", null);
    assertThat(pages[0]).as("pages copied").isPositive();
    assertThat(pages[1]).as("pages decoded").isZero();
    assertRows(readAll(fileSystem, "out.bsg"), expected, "copied version 2 pages");
  }

  /**
   * Small loads' segments hold one short page per column: compaction re-encodes them into full
   * pages instead of copying them, so short pages do not pile up over compactions.
   */
  @Test
  void shortPagesArePackedIntoFullPagesInsteadOfCopied() {
    InMemoryFileSystem fileSystem = new InMemoryFileSystem();
    Random random = new Random(SEED);
    List<List<Object[]>> inputs = new ArrayList<>();
    int inputCount = 40;
    for (int s = 0; s < inputCount; s++) {
      List<Object[]> rows = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        Object[] row = randomRow(random, 1_000, true);
        row[0] = (long) (s * 1_000 + i);
        rows.add(row);
      }
      inputs.add(rows);
      write(fileSystem, "in" + s + ".bsg", rows, SegmentWriterOptions.DEFAULT, SCHEMA.size());
    }
    long[] pages =
        copy(
            fileSystem,
            inputCount,
            new RoaringBitmap[inputCount],
            "out.bsg",
            null,
            SegmentWriterOptions.DEFAULT);
    assertThat(pages[0]).as("no short page copied").isZero();
    try (SegmentReader out = SegmentReader.open(fileSystem, "out.bsg")) {
      for (SegmentColumn column : SCHEMA) {
        // 400 rows fit one default page (64 KiB, 8,192 rows) in every column.
        assertThat(out.column(column.uniqueId()).pages().size())
            .as("pages of column " + column.uniqueId())
            .isEqualTo(1);
      }
      List<Object[]> expected = new ArrayList<>();
      inputs.forEach(expected::addAll);
      assertRows(readAll(fileSystem, "out.bsg"), expected, "packed output");
    }
  }

  @Test
  void aRangeMustNotGoBackward() {
    InMemoryFileSystem fileSystem = new InMemoryFileSystem();
    List<Object[]> rows = new ArrayList<>();
    Random random = new Random(SEED);
    for (int i = 0; i < 100; i++) {
      rows.add(randomRow(random, 10, true));
    }
    rows.sort(BY_KEY);
    write(fileSystem, "in.bsg", rows, SegmentWriterOptions.DEFAULT, SCHEMA.size());
    try (SegmentReader input = SegmentReader.open(fileSystem, "in.bsg");
        SegmentWriter output = new SegmentWriter(fileSystem, "out.bsg", SCHEMA)) {
      SegmentRangeCopier copier = new SegmentRangeCopier(input, requests(), output);
      copier.copy(10, 20, null);
      assertThatThrownBy(() -> copier.copy(5, 30, null))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void anInputOutOfKeyOrderIsCorruption() {
    InMemoryFileSystem fileSystem = new InMemoryFileSystem();
    Random random = new Random(SEED);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Object[] row = randomRow(random, 10, true);
      row[0] = (long) (100 - i);
      rows.add(row);
    }
    write(fileSystem, "in0.bsg", rows, SegmentWriterOptions.DEFAULT, SCHEMA.size());
    assertThatThrownBy(() -> copy(fileSystem, 1, new RoaringBitmap[1], "out.bsg", null))
        .isInstanceOfSatisfying(
            BasaltException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_CORRUPTION));
  }

  /** One random round; returns {pages copied, pages decoded}. */
  private long[] check(Random random, int round) {
    InMemoryFileSystem fileSystem = new InMemoryFileSystem();
    int inputCount = 1 + random.nextInt(5);
    boolean disjoint = random.nextInt(3) != 0;
    int keyRange = 1 + random.nextInt(random.nextBoolean() ? 30 : 3_000);
    boolean oldestLacksAddedColumn = random.nextInt(4) == 0;
    List<List<Object[]>> inputs = new ArrayList<>();
    RoaringBitmap[] deleted = new RoaringBitmap[inputCount];
    for (int s = 0; s < inputCount; s++) {
      int rowCount = random.nextInt(random.nextInt(4) == 0 ? 40 : 1_500);
      List<Object[]> rows = new ArrayList<>();
      for (int i = 0; i < rowCount; i++) {
        Object[] row = randomRow(random, keyRange, !(oldestLacksAddedColumn && s == 0));
        if (disjoint && row[0] != null && random.nextInt(50) != 0) {
          // Load order, but for a few stragglers from the neighbouring ranges.
          row[0] = (Long) row[0] + (long) s * keyRange;
        }
        rows.add(row);
      }
      rows.sort(BY_KEY); // stable: equal keys keep their arrival order
      inputs.add(rows);
      SegmentWriterOptions options =
          SegmentWriterOptions.DEFAULT
              .withPageLimits(64 << random.nextInt(8), 1 + random.nextInt(400))
              .withCompression(random.nextBoolean() ? Compression.LZ4 : Compression.NONE);
      write(
          fileSystem,
          "in" + s + ".bsg",
          rows,
          options,
          oldestLacksAddedColumn && s == 0 ? SCHEMA.size() - 1 : SCHEMA.size());
      if (random.nextInt(3) == 0) {
        RoaringBitmap marks = new RoaringBitmap();
        int every = 1 + random.nextInt(60);
        for (int i = 0; i < rowCount; i++) {
          if (random.nextInt(every) == 0) {
            marks.add(i);
          }
        }
        deleted[s] = marks;
      }
    }
    String context = "seed " + SEED + ", round " + round + (disjoint ? " (disjoint)" : "");

    List<Source> reference = new ArrayList<>();
    for (int s = 0; s < inputCount; s++) {
      for (int i = 0; i < inputs.get(s).size(); i++) {
        if (deleted[s] == null || !deleted[s].contains(i)) {
          reference.add(new Source(inputs.get(s).get(i), s, i));
        }
      }
    }
    reference.sort(
        Comparator.comparing(Source::values, BY_KEY)
            .thenComparingInt(Source::input)
            .thenComparingInt(Source::row));

    int[][] rowMaps = new int[inputCount][];
    for (int s = 0; s < inputCount; s++) {
      rowMaps[s] = new int[inputs.get(s).size()];
      Arrays.fill(rowMaps[s], -1);
    }
    long[] pages = copy(fileSystem, inputCount, deleted, "copied.bsg", rowMaps);
    List<Object[]> expected = reference.stream().map(Source::values).toList();
    if (expected.isEmpty()) {
      return pages;
    }
    for (int position = 0; position < reference.size(); position++) {
      Source source = reference.get(position);
      assertThat(rowMaps[source.input()][source.row()])
          .as(context + ": row map of input " + source.input() + " row " + source.row())
          .isEqualTo(position);
    }
    write(fileSystem, "encoded.bsg", expected, SegmentWriterOptions.DEFAULT, SCHEMA.size());
    List<Object[]> copiedRows = readAll(fileSystem, "copied.bsg");
    assertRows(copiedRows, expected, context + ": copied output");
    assertRows(readAll(fileSystem, "encoded.bsg"), copiedRows, context + ": re-encoded output");
    try (SegmentReader copied = SegmentReader.open(fileSystem, "copied.bsg");
        SegmentReader encoded = SegmentReader.open(fileSystem, "encoded.bsg")) {
      copied.verify();
      for (SegmentColumn column : SCHEMA) {
        String where = context + ": column " + column.uniqueId();
        ColumnMetadata copiedColumn = copied.column(column.uniqueId());
        assertThat(copiedColumn.zoneMap().nullCount())
            .as(where)
            .isEqualTo(encoded.column(column.uniqueId()).zoneMap().nullCount());
        assertThat(Objects.toString(copiedColumn.zoneMap().min()))
            .as(where + " min")
            .isEqualTo(Objects.toString(encoded.column(column.uniqueId()).zoneMap().min()));
        assertThat(Objects.toString(copiedColumn.zoneMap().max()))
            .as(where + " max")
            .isEqualTo(Objects.toString(encoded.column(column.uniqueId()).zoneMap().max()));
        checkPageZoneMaps(copied, SCHEMA.indexOf(column), copiedColumn, where);
      }
    }
    return pages;
  }

  /** Runs the page-copying merge of in0..in{count-1} into {@code path}; {copied, decoded}. */
  private static long[] copy(
      InMemoryFileSystem fileSystem,
      int count,
      RoaringBitmap[] deleted,
      String path,
      int[][] rowMaps) {
    return copy(
        fileSystem,
        count,
        deleted,
        path,
        rowMaps,
        SegmentWriterOptions.DEFAULT.withPageLimits(512, 100));
  }

  /** As above, with the output written with {@code options}. */
  private static long[] copy(
      InMemoryFileSystem fileSystem,
      int count,
      RoaringBitmap[] deleted,
      String path,
      int[][] rowMaps,
      SegmentWriterOptions options) {
    List<ColumnRequest> keyRequests = requests().subList(0, KEYS);
    List<SegmentReader> readers = new ArrayList<>();
    List<SegmentMergeInput> keyInputs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    try (SegmentWriter writer = new SegmentWriter(fileSystem, path, SCHEMA, options, null, null)) {
      for (int s = 0; s < count; s++) {
        readers.add(SegmentReader.open(fileSystem, "in" + s + ".bsg"));
        keyInputs.add(
            new SegmentMergeInput(fileSystem, "in" + s + ".bsg", keyRequests, deleted[s]));
        names.add("in" + s + ".bsg");
      }
      List<SegmentRangeCopier> copiers = new ArrayList<>();
      for (SegmentReader reader : readers) {
        copiers.add(new SegmentRangeCopier(reader, requests(), writer));
      }
      long output = 0;
      try (SortedRuns runs = new SortedRuns(keyInputs, names)) {
        for (SortedRuns.Run run = runs.next(); run != null; run = runs.next()) {
          for (long row = run.firstRow(); row < run.endRow(); row++) {
            if (rowMaps != null
                && (deleted[run.input()] == null || !deleted[run.input()].contains((int) row))) {
              rowMaps[run.input()][(int) row] = Math.toIntExact(output++);
            }
          }
          copiers.get(run.input()).copy(run.firstRow(), run.endRow(), deleted[run.input()]);
        }
      }
      if (writer.rowCount() > 0) {
        writer.finish();
      }
      long copied = 0;
      long decoded = 0;
      for (SegmentRangeCopier copier : copiers) {
        copied += copier.pagesCopied();
        decoded += copier.pagesDecoded();
      }
      return new long[] {copied, decoded};
    } finally {
      for (SegmentReader reader : readers) {
        reader.close();
      }
    }
  }

  /** Every page's zone map bounds the values its rows read back as, and counts its NULLs. */
  private static void checkPageZoneMaps(
      SegmentReader reader, int position, ColumnMetadata column, String where) {
    List<ColumnRequest> one = List.of(requests().get(position));
    for (PageMetadata page : column.pages()) {
      ZoneMap zone = page.zoneMap();
      long nulls = 0;
      try (BatchStream stream = reader.read(one, page.firstRow(), page.rowCount())) {
        for (Batch batch = stream.next(); batch != null; batch = stream.next()) {
          for (int r = 0; r < batch.rowCount(); r++) {
            Object value = batch.column(0).getObject(r);
            if (value == null) {
              nulls++;
              continue;
            }
            String at = where + " page at row " + page.firstRow() + ": " + value;
            assertThat(compare(zone.min(), value)).as(at + " >= min " + zone.min()).isNotPositive();
            if (zone.max() != null) {
              assertThat(compare(value, zone.max())).as(at + " <= max").isNotPositive();
            }
          }
        }
      }
      assertThat(zone.nullCount()).as(where + " page nulls").isEqualTo(nulls);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object left, Object right) {
    if (left instanceof String l) {
      return Arrays.compareUnsigned(
          l.getBytes(StandardCharsets.UTF_8), ((String) right).getBytes(StandardCharsets.UTF_8));
    }
    return ((Comparable) left).compareTo(right);
  }

  private static Object[] randomRow(Random random, int keyRange, boolean withAddedColumn) {
    Long k1 = random.nextInt(30) == 0 ? null : (long) random.nextInt(keyRange) - keyRange / 4;
    String k2 = "k" + random.nextInt(3);
    BigDecimal v =
        random.nextInt(6) == 0
            ? null
            : BigDecimal.valueOf(random.nextLong(-1_000_000_000L, 1_000_000_000L), 2);
    BigDecimal w =
        new BigDecimal(
            random.nextInt(3) == 0
                ? BigInteger.ONE.shiftLeft(70 + random.nextInt(25)).negate()
                : BigInteger.valueOf(random.nextLong()),
            4);
    String s = "s" + random.nextInt(6);
    String t =
        random.nextInt(5) == 0
            ? null
            : random.nextInt(40) == 0
                ? "é".repeat(130 + random.nextInt(20)) + random.nextInt(9)
                : "text-" + random.nextInt(100_000);
    Double d = random.nextInt(7) == 0 ? null : random.nextGaussian() * 1e6;
    LocalDate date = LocalDate.of(1992, 1, 1).plusDays(random.nextInt(2_500));
    BigDecimal added =
        withAddedColumn
            ? (random.nextInt(4) == 0 ? null : BigDecimal.valueOf(random.nextInt(100_000), 2))
            : ADDED_DEFAULT;
    return new Object[] {k1, k2, v, w, s, t, d, date, added};
  }

  private static List<ColumnRequest> requests() {
    List<ColumnRequest> requests = new ArrayList<>();
    for (SegmentColumn column : SCHEMA) {
      requests.add(
          ColumnRequest.withDefault(
              column.uniqueId(), column.type(), column.uniqueId() == 18 ? ADDED_DEFAULT : null));
    }
    return requests;
  }

  /** Writes the first {@code columns} columns of {@code rows} (fewer: an older schema). */
  private static void write(
      InMemoryFileSystem fileSystem,
      String path,
      List<Object[]> rows,
      SegmentWriterOptions options,
      int columns) {
    try (SegmentWriter writer =
        new SegmentWriter(fileSystem, path, SCHEMA.subList(0, columns), options)) {
      for (int start = 0; start < rows.size(); start += 700) {
        int end = Math.min(rows.size(), start + 700);
        List<ColumnVector> vectors = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
          ColumnVectorBuilder builder = new ColumnVectorBuilder(SCHEMA.get(c).type(), end - start);
          for (int r = start; r < end; r++) {
            builder.appendObject(rows.get(r)[c]);
          }
          vectors.add(builder.build());
        }
        writer.append(new Batch(vectors, end - start));
      }
      writer.finish();
    }
  }

  private static List<Object[]> readAll(InMemoryFileSystem fileSystem, String path) {
    List<Object[]> rows = new ArrayList<>();
    try (SegmentReader reader = SegmentReader.open(fileSystem, path);
        BatchStream stream = reader.read(requests(), 0, reader.rowCount())) {
      for (Batch batch = stream.next(); batch != null; batch = stream.next()) {
        for (int r = 0; r < batch.rowCount(); r++) {
          Object[] row = new Object[batch.columnCount()];
          for (int c = 0; c < row.length; c++) {
            row[c] = batch.column(c).getObject(r);
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  private static void assertRows(List<Object[]> actual, List<Object[]> expected, String context) {
    assertThat(actual.size()).as(context + ": row count").isEqualTo(expected.size());
    for (int i = 0; i < actual.size(); i++) {
      for (int c = 0; c < SCHEMA.size(); c++) {
        assertThat(Objects.toString(actual.get(i)[c]))
            .as(context + ": row " + i + " " + Arrays.toString(expected.get(i)) + " column " + c)
            .isEqualTo(Objects.toString(expected.get(i)[c]));
      }
    }
  }
}
