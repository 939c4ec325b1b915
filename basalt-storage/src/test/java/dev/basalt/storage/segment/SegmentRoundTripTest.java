package dev.basalt.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.storage.encoding.Compression;
import dev.basalt.storage.encoding.Encoding;
import dev.basalt.storage.fs.InMemoryFileSystem;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SegmentRoundTripTest {
  private static final String PATH = "data/db1/t1/p0/tablet3/seg_0001.bsg";

  private final InMemoryFileSystem fileSystem = new InMemoryFileSystem();

  private static List<SegmentColumn> schemaOf(List<DataType> types) {
    List<SegmentColumn> schema = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      schema.add(new SegmentColumn(100 + i, types.get(i), true));
    }
    return schema;
  }

  private SegmentMetadata write(
      List<SegmentColumn> schema,
      List<List<Object>> columns,
      SegmentWriterOptions options,
      Random random) {
    try (SegmentWriter writer = new SegmentWriter(fileSystem, PATH, schema, options)) {
      TestData.appendAll(writer, schema, columns, random);
      return writer.finish();
    }
  }

  /** Writes, reads back every column, and checks values, metadata and zone maps. */
  private void roundTrip(
      List<SegmentColumn> schema,
      List<List<Object>> columns,
      SegmentWriterOptions options,
      long seed) {
    Random random = new Random(seed);
    SegmentMetadata written = write(schema, columns, options, random);
    try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
      assertThat(reader.metadata()).as("seed %d", seed).isEqualTo(written);
      assertThat(reader.schema()).isEqualTo(schema);
      List<Integer> ids = schema.stream().map(SegmentColumn::uniqueId).toList();
      List<List<Object>> read = TestData.drain(reader.read(ids), schema.size());
      for (int c = 0; c < schema.size(); c++) {
        assertThat(read.get(c))
            .as("column %s, options %s, seed %d", schema.get(c), options, seed)
            .isEqualTo(columns.get(c));
        checkZoneMaps(
            schema.get(c).type(), columns.get(c), reader.column(schema.get(c).uniqueId()), seed);
      }
    }
  }

  private static void checkZoneMaps(
      DataType type, List<Object> values, ColumnMetadata column, long seed) {
    long nulls = values.stream().filter(v -> v == null).count();
    assertThat(column.zoneMap().nullCount()).as("seed %d", seed).isEqualTo(nulls);
    for (PageMetadata page : column.pages()) {
      List<Object> pageValues =
          values.subList((int) page.firstRow(), (int) page.firstRow() + page.rowCount());
      assertThat(page.zoneMap().nullCount())
          .isEqualTo(pageValues.stream().filter(v -> v == null).count());
      for (Object value : pageValues) {
        if (value == null || type.kind().isString()) {
          continue;
        }
        assertThat(compare(page.zoneMap().min(), value))
            .as("min of page at row %d, seed %d", page.firstRow(), seed)
            .isLessThanOrEqualTo(0);
        assertThat(compare(page.zoneMap().max(), value))
            .as("max of page at row %d, seed %d", page.firstRow(), seed)
            .isGreaterThanOrEqualTo(0);
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object bound, Object value) {
    if (bound instanceof Double d) {
      return Double.compare(d, (Double) value);
    }
    return ((Comparable) bound).compareTo(value);
  }

  @Test
  void everyTypeRoundTripsWithEveryEncodingAndCompression() {
    long seed = 20260101L;
    Random random = new Random(seed);
    List<SegmentColumn> schema = schemaOf(TestData.ALL_TYPES);
    for (TestData.Shape shape : TestData.Shape.values()) {
      List<List<Object>> columns = new ArrayList<>();
      for (SegmentColumn column : schema) {
        columns.add(TestData.values(column.type(), 800, 0.15, shape, random));
      }
      List<Encoding> encodings = new ArrayList<>(Arrays.asList(Encoding.values()));
      encodings.add(null);
      for (Encoding encoding : encodings) {
        for (Compression compression : Compression.values()) {
          SegmentWriterOptions options =
              SegmentWriterOptions.DEFAULT
                  .withCompression(compression)
                  .withForcedEncoding(encoding)
                  .withPageLimits(4096, 200);
          roundTrip(schema, columns, options, seed);
        }
      }
    }
  }

  /**
   * Vectors without nulls are appended in runs up to the next page cut: the pages end where
   * appending row by row ended them (after the row that reaches the byte target or the row limit),
   * and every value reads back, for 8-byte (BIGINT) and 16-byte (DECIMAL, LARGEINT) values in
   * batches of random sizes.
   */
  @Test
  void nonNullRunsCutPagesWhereRowByRowAppendingDid() {
    long seed = 20261207L;
    Random random = new Random(seed);
    List<SegmentColumn> schema =
        List.of(
            new SegmentColumn(1, DataType.BIGINT, false),
            new SegmentColumn(2, DataType.decimal(30, 2), false),
            new SegmentColumn(3, DataType.LARGEINT, true));
    int[][] limits = {{100, 50}, {4096, 20}, {1000, 1000}, {64 * 1024, 8192}, {1, 3}};
    for (int[] limit : limits) {
      int rows = 1 + random.nextInt(3000);
      long[] longs = new long[rows];
      long[] decimals = new long[rows];
      long[] highs = new long[rows];
      for (int row = 0; row < rows; row++) {
        longs[row] = random.nextLong();
        decimals[row] = random.nextLong() >> random.nextInt(60);
        highs[row] = random.nextInt(5) - 2;
      }
      SegmentWriterOptions options =
          SegmentWriterOptions.DEFAULT.withPageLimits(limit[0], limit[1]);
      SegmentMetadata metadata;
      try (SegmentWriter writer = new SegmentWriter(fileSystem, PATH, schema, options)) {
        for (int start = 0; start < rows; ) {
          int end = Math.min(rows, start + 1 + random.nextInt(300));
          ColumnVectorBuilder bigint = new ColumnVectorBuilder(DataType.BIGINT, end - start);
          ColumnVectorBuilder decimal =
              new ColumnVectorBuilder(DataType.decimal(30, 2), end - start);
          ColumnVectorBuilder largeInt = new ColumnVectorBuilder(DataType.LARGEINT, end - start);
          for (int row = start; row < end; row++) {
            bigint.appendLong(longs[row]);
            decimal.appendUnscaledDecimal(decimals[row]);
            largeInt.appendInt128(highs[row], longs[row]);
          }
          writer.append(
              new Batch(List.of(bigint.build(), decimal.build(), largeInt.build()), end - start));
          start = end;
        }
        metadata = writer.finish();
      }
      for (int column = 0; column < schema.size(); column++) {
        int width = column == 0 ? 8 : 16;
        int pageRows = Math.min(limit[1], (limit[0] + width - 1) / width);
        List<PageMetadata> pages = metadata.columns().get(column).pages();
        for (int page = 0; page < pages.size(); page++) {
          int expected = page < pages.size() - 1 ? pageRows : rows - page * pageRows;
          assertThat(pages.get(page).rowCount())
              .as(
                  "seed %d, limits %s, column %d, page %d",
                  seed, Arrays.toString(limit), column, page)
              .isEqualTo(expected);
        }
        assertThat(pages).hasSize((rows + pageRows - 1) / pageRows);
      }
      try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
        List<List<Object>> read = TestData.drain(reader.read(List.of(1, 2, 3)), 3);
        for (int row = 0; row < rows; row++) {
          assertThat(read.get(0).get(row)).isEqualTo(longs[row]);
          assertThat(read.get(1).get(row)).isEqualTo(BigDecimal.valueOf(decimals[row], 2));
          assertThat(read.get(2).get(row))
              .isEqualTo(
                  java.math.BigInteger.valueOf(highs[row])
                      .shiftLeft(64)
                      .add(new java.math.BigInteger(Long.toUnsignedString(longs[row]))));
        }
      }
      fileSystem.delete(PATH);
    }
  }

  @Test
  void chosenEncodingsAndCompressionAreRecordedInPageHeaders() {
    Random random = new Random(7);
    List<SegmentColumn> schema =
        schemaOf(
            List.of(
                DataType.BIGINT,
                DataType.BIGINT,
                DataType.STRING,
                DataType.DOUBLE,
                DataType.STRING));
    List<List<Object>> columns =
        List.of(
            TestData.values(DataType.BIGINT, 3000, 0, TestData.Shape.LOW_CARDINALITY, random),
            TestData.values(DataType.BIGINT, 3000, 0, TestData.Shape.SORTED, random),
            TestData.values(DataType.STRING, 3000, 0, TestData.Shape.LOW_CARDINALITY, random),
            TestData.values(DataType.DOUBLE, 3000, 0, TestData.Shape.RANDOM, random),
            TestData.values(DataType.STRING, 3000, 0, TestData.Shape.RANDOM, random));
    SegmentMetadata metadata =
        write(
            schema,
            columns,
            SegmentWriterOptions.DEFAULT.withCompression(Compression.ZSTD),
            random);
    byte[] file = fileSystem.bytes(PATH);
    assertThat(pageHeaderByte(file, metadata, 0, 0)).isEqualTo(Encoding.FRAME_OF_REFERENCE.id());
    assertThat(pageHeaderByte(file, metadata, 1, 0)).isEqualTo(Encoding.DELTA.id());
    assertThat(pageHeaderByte(file, metadata, 2, 0)).isEqualTo(Encoding.DICTIONARY.id());
    assertThat(pageHeaderByte(file, metadata, 3, 0)).isEqualTo(Encoding.PLAIN.id());
    assertThat(pageHeaderByte(file, metadata, 4, 0)).isEqualTo(Encoding.PLAIN.id());
    assertThat(pageHeaderByte(file, metadata, 4, 1)).isEqualTo(Compression.ZSTD.id());
    roundTrip(schema, columns, SegmentWriterOptions.DEFAULT.withCompression(Compression.LZ4), 7);
    try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
      assertThat(pageHeaderByte(fileSystem.bytes(PATH), reader.metadata(), 4, 1))
          .isEqualTo(Compression.LZ4.id());
    }
  }

  private static int pageHeaderByte(
      byte[] file, SegmentMetadata metadata, int column, int headerByte) {
    return file[(int) metadata.columns().get(column).pages().get(0).offset() + headerByte] & 0xFF;
  }

  @Test
  void emptySegmentHasNoPagesAndReadsNothing() {
    List<SegmentColumn> schema = schemaOf(TestData.ALL_TYPES);
    List<List<Object>> columns =
        schema.stream().map(c -> (List<Object>) new ArrayList<Object>()).toList();
    SegmentMetadata metadata = write(schema, columns, SegmentWriterOptions.DEFAULT, new Random(1));
    assertThat(metadata.rowCount()).isZero();
    assertThat(metadata.pageCount()).isZero();
    assertThat(metadata.columns().get(0).zoneMap()).isEqualTo(new ZoneMap(null, null, 0));
    roundTrip(schema, columns, SegmentWriterOptions.DEFAULT, 1);
    try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
      assertThat(reader.read(List.of(100)).next()).isNull();
    }
  }

  @Test
  void oneRowSegmentsRoundTrip() {
    Random random = new Random(2);
    List<SegmentColumn> schema = schemaOf(TestData.ALL_TYPES);
    for (int attempt = 0; attempt < 20; attempt++) {
      List<List<Object>> columns = new ArrayList<>();
      for (SegmentColumn column : schema) {
        columns.add(
            TestData.values(
                column.type(), 1, attempt % 4 == 0 ? 1.0 : 0.0, TestData.Shape.RANDOM, random));
      }
      roundTrip(schema, columns, SegmentWriterOptions.DEFAULT, 2);
    }
  }

  @Test
  void manyPagesRoundTripAndCanBeReadByRowRange() {
    long seed = 99;
    Random random = new Random(seed);
    List<SegmentColumn> schema =
        schemaOf(
            List.of(
                DataType.BIGINT,
                DataType.DOUBLE,
                DataType.varchar(64),
                DataType.decimal(20, 4),
                DataType.DATE));
    int rows = 100_000;
    List<List<Object>> columns = new ArrayList<>();
    columns.add(TestData.values(DataType.BIGINT, rows, 0.0, TestData.Shape.SORTED, random));
    columns.add(TestData.values(DataType.DOUBLE, rows, 0.05, TestData.Shape.RANDOM, random));
    columns.add(
        TestData.values(DataType.varchar(64), rows, 0.1, TestData.Shape.LOW_CARDINALITY, random));
    columns.add(TestData.values(DataType.decimal(20, 4), rows, 0.0, TestData.Shape.RANDOM, random));
    columns.add(TestData.values(DataType.DATE, rows, 0.5, TestData.Shape.RANDOM, random));
    roundTrip(schema, columns, SegmentWriterOptions.DEFAULT, seed);
    try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
      assertThat(reader.column(100).pages().size()).isGreaterThan(10);
      assertThat(reader.column(101).pages().size()).isGreaterThan(10);
      for (long[] range :
          new long[][] {
            {0, 1}, {12_345, 10_000}, {99_999, 1}, {40_960, 4096}, {rows, 0}, {0, rows}
          }) {
        List<ColumnRequest> requests = List.of(ColumnRequest.of(102), ColumnRequest.of(100));
        List<List<Object>> read = TestData.drain(reader.read(requests, range[0], range[1]), 2);
        int from = (int) range[0];
        int to = (int) (range[0] + range[1]);
        assertThat(read.get(0))
            .as("range %s", Arrays.toString(range))
            .isEqualTo(columns.get(2).subList(from, to));
        assertThat(read.get(1))
            .as("range %s", Arrays.toString(range))
            .isEqualTo(columns.get(0).subList(from, to));
      }
      assertThatThrownBy(() -> reader.read(List.of(ColumnRequest.of(100)), rows - 5, 6))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void readsASubsetOfColumnsInRequestedOrder() {
    Random random = new Random(3);
    List<SegmentColumn> schema =
        schemaOf(List.of(DataType.INT, DataType.STRING, DataType.DOUBLE, DataType.LARGEINT));
    List<List<Object>> columns = new ArrayList<>();
    for (SegmentColumn column : schema) {
      columns.add(TestData.values(column.type(), 9000, 0.2, TestData.Shape.RANDOM, random));
    }
    write(schema, columns, SegmentWriterOptions.DEFAULT, random);
    try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
      List<List<Object>> read = TestData.drain(reader.read(List.of(103, 100, 101, 100)), 4);
      assertThat(read)
          .containsExactly(columns.get(3), columns.get(0), columns.get(1), columns.get(0));
      List<List<Object>> none = TestData.drain(reader.read(List.of()), 0);
      assertThat(none).isEmpty();
      int rows = 0;
      try (var stream = reader.read(List.of())) {
        for (Batch batch = stream.next(); batch != null; batch = stream.next()) {
          rows += batch.rowCount();
        }
      }
      assertThat(rows).isEqualTo(9000);
    }
  }

  @Test
  void absentColumnsReadAsTheirDefaultOrNull() {
    List<SegmentColumn> schema = List.of(new SegmentColumn(1, DataType.BIGINT, false));
    List<List<Object>> columns =
        List.of(TestData.values(DataType.BIGINT, 5000, 0, TestData.Shape.SORTED, new Random(4)));
    write(schema, columns, SegmentWriterOptions.DEFAULT, new Random(4));
    try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
      List<ColumnRequest> requests =
          List.of(
              ColumnRequest.withDefault(7, DataType.varchar(20), "n/a"),
              ColumnRequest.of(1),
              ColumnRequest.withDefault(8, DataType.decimal(10, 2), null),
              ColumnRequest.withDefault(9, DataType.DATE, LocalDate.of(2024, 2, 29)),
              ColumnRequest.withDefault(10, DataType.decimal(10, 2), new BigDecimal("1.50")));
      List<List<Object>> read = TestData.drain(reader.read(requests, 0, 5000), 5);
      assertThat(read.get(0)).hasSize(5000).containsOnly("n/a");
      assertThat(read.get(1)).isEqualTo(columns.get(0));
      assertThat(read.get(2)).hasSize(5000).containsOnlyNulls();
      assertThat(read.get(3)).hasSize(5000).containsOnly(LocalDate.of(2024, 2, 29));
      assertThat(read.get(4)).hasSize(5000).containsOnly(new BigDecimal("1.50"));
      assertThatThrownBy(() -> reader.read(List.of(42)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("42");
      assertThatThrownBy(
              () ->
                  reader.read(
                      List.of(ColumnRequest.withDefault(9, DataType.DATE, "2024-01-01")), 0, 1))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void longAndMultiByteStringsRoundTrip() {
    Random random = new Random(5);
    List<Object> values = new ArrayList<>();
    values.add("");
    values.add(null);
    values.add("中".repeat(30_000));
    values.add("x".repeat(200_000));
    values.add("😀");
    for (int i = 0; i < 100; i++) {
      values.add(i % 3 == 0 ? "" : "é" + i);
    }
    values.add("z".repeat(70_000));
    List<SegmentColumn> schema = schemaOf(List.of(DataType.STRING));
    for (Encoding encoding : new Encoding[] {null, Encoding.PLAIN, Encoding.DICTIONARY}) {
      roundTrip(
          schema, List.of(values), SegmentWriterOptions.DEFAULT.withForcedEncoding(encoding), 5);
    }
    SegmentMetadata metadata = write(schema, List.of(values), SegmentWriterOptions.DEFAULT, random);
    ZoneMap zoneMap = metadata.columns().get(0).zoneMap();
    assertThat(zoneMap.min()).isEqualTo("");
    assertThat(zoneMap.max()).as("the largest string is too long to keep as a bound").isNull();
  }

  @Test
  void zoneMapsFollowTheDocumentedOrdering() {
    List<SegmentColumn> schema =
        List.of(
            new SegmentColumn(1, DataType.DOUBLE, true),
            new SegmentColumn(2, DataType.BOOLEAN, true),
            new SegmentColumn(3, DataType.STRING, true));
    List<List<Object>> columns =
        List.of(
            Arrays.asList(1.5, -0.0, null, 0.0, Double.NaN, Double.NEGATIVE_INFINITY),
            Arrays.asList(true, null, true, true, false, true),
            Arrays.asList("b", "\uFFFF", null, "😀", "a", "é"));
    SegmentMetadata metadata = write(schema, columns, SegmentWriterOptions.DEFAULT, new Random(6));
    assertThat(metadata.columns().get(0).zoneMap())
        .isEqualTo(new ZoneMap(Double.NEGATIVE_INFINITY, Double.NaN, 1));
    assertThat(metadata.columns().get(1).zoneMap()).isEqualTo(new ZoneMap(false, true, 1));
    // Code point order: U+1F600 sorts after U+FFFF, unlike String.compareTo.
    assertThat(metadata.columns().get(2).zoneMap()).isEqualTo(new ZoneMap("a", "😀", 1));
  }

  @Test
  void writerRejectsValuesThatDoNotFitTheSchema() {
    List<SegmentColumn> schema = List.of(new SegmentColumn(1, DataType.BIGINT, false));
    try (SegmentWriter writer = new SegmentWriter(fileSystem, PATH, schema)) {
      ColumnVector withNull =
          new ColumnVectorBuilder(DataType.BIGINT).appendLong(1).appendNull().build();
      assertThatThrownBy(() -> writer.append(Batch.of(List.of(withNull))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("non-nullable");
      assertThatThrownBy(writer::finish).isInstanceOf(IllegalStateException.class);
    }
    assertThat(fileSystem.exists(PATH)).as("an unfinished segment is never published").isFalse();

    try (SegmentWriter writer =
        new SegmentWriter(fileSystem, PATH, List.of(new SegmentColumn(1, DataType.FLOAT, true)))) {
      ColumnVector notAFloat = new ColumnVectorBuilder(DataType.FLOAT).appendDouble(0.1).build();
      assertThatThrownBy(() -> writer.append(Batch.of(List.of(notAFloat))))
          .isInstanceOf(IllegalArgumentException.class);
    }
    try (SegmentWriter writer =
        new SegmentWriter(
            fileSystem, PATH, List.of(new SegmentColumn(1, DataType.decimal(5, 1), true)))) {
      ColumnVector tooPrecise =
          new ColumnVectorBuilder(DataType.decimal(5, 1))
              .appendDecimal(new BigDecimal("1.25"))
              .build();
      assertThatThrownBy(() -> writer.append(Batch.of(List.of(tooPrecise))))
          .isInstanceOf(IllegalArgumentException.class);
    }
    try (SegmentWriter writer =
        new SegmentWriter(fileSystem, PATH, List.of(new SegmentColumn(1, DataType.STRING, true)))) {
      ColumnVector wrongLayout = new LongVector(DataType.BIGINT, new long[] {1}, null, 1);
      assertThatThrownBy(() -> writer.append(Batch.of(List.of(wrongLayout))))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(
            () ->
                new SegmentWriter(
                    fileSystem,
                    PATH,
                    List.of(
                        new SegmentColumn(1, DataType.INT, true),
                        new SegmentColumn(1, DataType.INT, true))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decimalsAreStoredAtTheColumnScale() {
    DataType type = DataType.decimal(10, 3);
    List<SegmentColumn> schema = List.of(new SegmentColumn(1, type, true));
    try (SegmentWriter writer = new SegmentWriter(fileSystem, PATH, schema)) {
      writer.append(
          Batch.of(
              List.of(
                  new ColumnVectorBuilder(type)
                      .appendDecimal(new BigDecimal("1.5"))
                      .appendDecimal(new BigDecimal("-2"))
                      .build())));
      writer.finish();
    }
    try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
      assertThat(TestData.drain(reader.read(List.of(1)), 1).get(0))
          .containsExactly(new BigDecimal("1.500"), new BigDecimal("-2.000"));
    }
  }

  @Test
  void decimalsThatFitInALongAreReadAsScaledLongsAndWiderOnesBoxed() {
    DataType narrow = DataType.decimal(15, 2);
    DataType wide = DataType.decimal(38, 2);
    BigDecimal huge = new BigDecimal("123456789012345678901234567890.12");
    int rows = 20_000;
    List<SegmentColumn> schema =
        List.of(new SegmentColumn(1, narrow, true), new SegmentColumn(2, wide, true));
    List<Object> expectedNarrow = new ArrayList<>();
    List<Object> expectedWide = new ArrayList<>();
    try (SegmentWriter writer = new SegmentWriter(fileSystem, PATH, schema)) {
      ColumnVectorBuilder narrowValues = new ColumnVectorBuilder(narrow);
      ColumnVectorBuilder wideValues = new ColumnVectorBuilder(wide);
      for (int row = 0; row < rows; row++) {
        BigDecimal value = row % 7 == 3 ? null : BigDecimal.valueOf(row * 37L - 50_000, 2);
        // One wide value, in the last batch only: the earlier batches stay scaled longs.
        BigDecimal wideValue = row == rows - 2 ? huge : value;
        narrowValues.appendDecimal(value);
        wideValues.appendDecimal(wideValue);
        expectedNarrow.add(value);
        expectedWide.add(wideValue);
      }
      writer.append(Batch.of(List.of(narrowValues.build(), wideValues.build())));
      writer.finish();
    }
    try (SegmentReader reader = SegmentReader.open(fileSystem, PATH);
        var batches = reader.read(List.of(1, 2))) {
      Batch first = batches.next();
      assertThat(((DecimalVector) first.column(0)).isScaledLong()).isTrue();
      assertThat(((DecimalVector) first.column(1)).isScaledLong()).isTrue();
    }
    try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
      List<List<Object>> read = TestData.drain(reader.read(List.of(1, 2)), 2);
      assertThat(read.get(0)).isEqualTo(expectedNarrow);
      assertThat(read.get(1)).isEqualTo(expectedWide);
    }
    // A filtered read takes chosen rows: the wide value among scaled longs boxes that batch.
    SegmentFilter everyThird =
        new SegmentFilter(
            new int[] {0},
            List.of(),
            (batch, firstRow, selected) -> {
              int kept = 0;
              for (int row = 0; row < batch.rowCount(); row++) {
                if ((firstRow + row) % 3 != 0 || firstRow + row == rows - 2) {
                  selected[kept++] = row;
                }
              }
              return kept;
            });
    List<ColumnRequest> requests = List.of(ColumnRequest.of(1), ColumnRequest.of(2));
    try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
      List<List<Object>> read =
          TestData.drain(reader.read(requests, 0, rows, everyThird, new ScanCounters()), 2);
      List<Object> keptWide = new ArrayList<>();
      for (int row = 0; row < rows; row++) {
        if (row % 3 != 0 || row == rows - 2) {
          keptWide.add(expectedWide.get(row));
        }
      }
      assertThat(read.get(1)).isEqualTo(keptWide).contains(huge);
    }
  }
}
