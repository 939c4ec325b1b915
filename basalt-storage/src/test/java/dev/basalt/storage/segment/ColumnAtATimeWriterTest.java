package dev.basalt.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.storage.fs.InMemoryFileSystem;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SegmentWriter}'s column-at-a-time writing (compaction's page copy): every column must get
 * the same rows before {@link SegmentWriter#completeRows}, and segments that need whole rows (a
 * primary-key index, a row store) refuse it.
 */
class ColumnAtATimeWriterTest {
  private static final List<SegmentColumn> SCHEMA =
      List.of(
          new SegmentColumn(1, DataType.BIGINT, false),
          new SegmentColumn(2, DataType.varchar(10), true));

  @Test
  void columnsWrittenOneByOneReadBackAsRows() {
    InMemoryFileSystem fileSystem = new InMemoryFileSystem();
    try (SegmentWriter writer = new SegmentWriter(fileSystem, "out.bsg", SCHEMA)) {
      writer.appendColumn(1, strings("x", null));
      writer.appendColumn(0, longs(7, 8));
      writer.completeRows(2);
      assertThat(writer.rowCount()).isEqualTo(2);
      writer.finish();
    }
    try (SegmentReader reader = SegmentReader.open(fileSystem, "out.bsg");
        BatchStream rows = reader.read(List.of(1, 2))) {
      Batch batch = rows.next();
      assertThat(batch.column(0).getObject(1)).isEqualTo(8L);
      assertThat(batch.column(1).getObject(0)).isEqualTo("x");
      assertThat(batch.column(1).getObject(1)).isNull();
    }
  }

  @Test
  void columnsOfDifferentLengthsAreRefused() {
    InMemoryFileSystem fileSystem = new InMemoryFileSystem();
    try (SegmentWriter writer = new SegmentWriter(fileSystem, "out.bsg", SCHEMA)) {
      writer.appendColumn(0, longs(1, 2, 3));
      writer.appendColumn(1, strings("a", "b"));
      assertThatThrownBy(() -> writer.completeRows(3))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("column 2 holds 2 rows, expected 3");
      assertThatThrownBy(writer::finish).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void segmentsThatNeedWholeRowsRefuseColumnWrites() {
    InMemoryFileSystem fileSystem = new InMemoryFileSystem();
    try (SegmentWriter withIndex =
        new SegmentWriter(
            fileSystem, "pk.bsg", SCHEMA, SegmentWriterOptions.DEFAULT, new int[] {0})) {
      assertThatThrownBy(() -> withIndex.appendColumn(0, longs(1)))
          .isInstanceOf(IllegalStateException.class);
    }
    try (SegmentWriter withRowStore =
        new SegmentWriter(
            fileSystem, "rs.bsg", SCHEMA, SegmentWriterOptions.DEFAULT, null, new int[] {0, 1})) {
      assertThatThrownBy(() -> withRowStore.completeRows(0))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  private static ColumnVector longs(long... values) {
    ColumnVectorBuilder builder = new ColumnVectorBuilder(DataType.BIGINT, values.length);
    for (long value : values) {
      builder.appendObject(value);
    }
    return builder.build();
  }

  private static ColumnVector strings(String... values) {
    ColumnVectorBuilder builder = new ColumnVectorBuilder(DataType.varchar(10), values.length);
    for (String value : values) {
      builder.appendObject(value);
    }
    return builder.build();
  }
}
