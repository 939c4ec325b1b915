package dev.basalt.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.storage.fs.InMemoryFileSystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The row-store column (docs/format.md section 14): {@link SegmentReader#readRow} returns exactly
 * what reading the columns returns, for every type, NULLs and absent columns; it declines (returns
 * null) where the row store cannot answer, and the row-store column stays out of the visible
 * schema.
 */
class RowStoreTest {
  private static final int ROWS = 12_000;
  private final InMemoryFileSystem fileSystem = new InMemoryFileSystem();

  private static List<SegmentColumn> schema() {
    List<SegmentColumn> schema = new ArrayList<>();
    for (int i = 0; i < TestData.ALL_TYPES.size(); i++) {
      schema.add(new SegmentColumn(i, TestData.ALL_TYPES.get(i), true));
    }
    return schema;
  }

  private void write(String path, List<SegmentColumn> schema, int[] rowStoreColumns, long seed) {
    Random random = new Random(seed);
    List<List<Object>> columns = new ArrayList<>();
    for (SegmentColumn column : schema) {
      columns.add(TestData.values(column.type(), ROWS, 0.2, TestData.Shape.RANDOM, random));
    }
    try (SegmentWriter writer =
        new SegmentWriter(
            fileSystem, path, schema, SegmentWriterOptions.DEFAULT, null, rowStoreColumns)) {
      TestData.appendAll(writer, schema, columns, random);
      writer.finish();
    }
  }

  private static List<Object> values(Batch batch) {
    List<Object> values = new ArrayList<>();
    for (int c = 0; c < batch.columnCount(); c++) {
      assertThat(batch.column(c).size()).isEqualTo(1);
      values.add(batch.column(c).getObject(0));
    }
    return values;
  }

  private static List<Object> columnRead(
      SegmentReader reader, List<ColumnRequest> requests, long row) {
    try (var stream = reader.read(requests, row, 1)) {
      return values(stream.next());
    }
  }

  @Test
  void rowReadsEqualColumnReadsForEveryType() {
    List<SegmentColumn> schema = schema();
    int[] all = new int[schema.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    write("data/rows.bsg", schema, all, 42);
    List<ColumnRequest> requests = new ArrayList<>();
    for (int i = schema.size() - 1; i >= 0; i--) {
      requests.add(ColumnRequest.of(i)); // reverse order: the row's field order must not matter
    }
    requests.add(ColumnRequest.withDefault(1000, DataType.BIGINT, 7L)); // added later
    PageCache cache = new PageCache(16L << 20);
    Random random = new Random(1);
    try (SegmentReader reader = SegmentReader.open(fileSystem, "data/rows.bsg")) {
      assertThat(reader.hasRowStore()).isTrue();
      assertThat(reader.schema()).isEqualTo(schema);
      assertThat(reader.metadata().columns()).hasSize(schema.size());
      assertThat(reader.hasColumn(RowStoreCodec.COLUMN_ID)).isFalse();
      for (int i = 0; i < 300; i++) {
        int row = i == 0 ? 0 : i == 1 ? ROWS - 1 : random.nextInt(ROWS);
        Batch decoded = reader.readRow(requests, row, cache);
        assertThat(decoded).isNotNull();
        List<Object> expected = columnRead(reader, requests, row);
        assertThat(expected.getLast()).isEqualTo(7L);
        assertThat(values(decoded)).as("row %d", row).isEqualTo(expected);
        for (int c = 0; c < decoded.columnCount(); c++) {
          assertThat(decoded.column(c).type())
              .isEqualTo(
                  requests.get(c).uniqueId() == 1000
                      ? DataType.BIGINT
                      : schema.get(requests.get(c).uniqueId()).type());
        }
      }
      reader.verify();
    }
  }

  @Test
  void declinesWithoutARowStoreOrWhenAColumnIsNotInIt() {
    List<SegmentColumn> schema = schema();
    write("data/plain.bsg", schema, null, 3);
    write("data/some.bsg", schema, new int[] {0, 4}, 3);
    try (SegmentReader plain = SegmentReader.open(fileSystem, "data/plain.bsg");
        SegmentReader some = SegmentReader.open(fileSystem, "data/some.bsg")) {
      assertThat(plain.hasRowStore()).isFalse();
      assertThat(plain.readRow(List.of(ColumnRequest.of(0)), 5, null)).isNull();
      List<ColumnRequest> stored = List.of(ColumnRequest.of(4), ColumnRequest.of(0));
      assertThat(values(some.readRow(stored, 5, null))).isEqualTo(columnRead(some, stored, 5));
      assertThat(some.readRow(List.of(ColumnRequest.of(0), ColumnRequest.of(1)), 5, null)).isNull();
    }
  }

  @Test
  void theRowStoreIdIsReserved() {
    List<SegmentColumn> schema =
        List.of(new SegmentColumn(RowStoreCodec.COLUMN_ID, DataType.INT, true));
    assertThatThrownBy(
            () ->
                new SegmentWriter(
                    fileSystem,
                    "data/x.bsg",
                    schema,
                    SegmentWriterOptions.DEFAULT,
                    null,
                    new int[] {0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserved");
  }

  /**
   * A column whose type MODIFY COLUMN widened after the segment was written reads its stored values
   * unchanged, declared as the new type, from the columns and from the row store; a type that would
   * change the values is a caller error.
   */
  @Test
  void widenedTypesReadTheStoredValuesAsTheNewType() {
    List<SegmentColumn> schema =
        List.of(
            new SegmentColumn(0, DataType.INT, true),
            new SegmentColumn(1, DataType.FLOAT, true),
            new SegmentColumn(2, DataType.decimal(9, 2), true),
            new SegmentColumn(3, DataType.datetime(0), true),
            new SegmentColumn(4, DataType.varchar(5), true));
    write("data/widened.bsg", schema, new int[] {0, 1, 2, 3, 4}, 7);
    List<DataType> widened =
        List.of(
            DataType.BIGINT,
            DataType.DOUBLE,
            DataType.decimal(30, 2),
            DataType.datetime(6),
            DataType.STRING);
    List<ColumnRequest> asStored = new ArrayList<>();
    List<ColumnRequest> asWidened = new ArrayList<>();
    for (int i = 0; i < schema.size(); i++) {
      asStored.add(ColumnRequest.of(i));
      asWidened.add(ColumnRequest.withDefault(i, widened.get(i), null));
    }
    try (SegmentReader reader = SegmentReader.open(fileSystem, "data/widened.bsg")) {
      for (long row : new long[] {0, 1, ROWS / 2, ROWS - 1}) {
        List<Object> stored = columnRead(reader, asStored, row);
        for (Batch batch :
            List.of(reader.readRow(asWidened, row, null), reader.read(asWidened, row, 1).next())) {
          assertThat(values(batch)).as("row %d", row).isEqualTo(stored);
          for (int c = 0; c < widened.size(); c++) {
            assertThat(batch.column(c).type()).isEqualTo(widened.get(c));
          }
        }
      }
      List<ColumnRequest> narrowed =
          List.of(ColumnRequest.withDefault(2, DataType.decimal(9, 4), null));
      assertThatThrownBy(() -> reader.read(narrowed, 0, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("does not read as decimal(9,4)");
      assertThatThrownBy(() -> reader.readRow(narrowed, 0, null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("does not read as");
    }
  }
}
