package dev.basalt.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.LongVector;
import dev.basalt.storage.encoding.Compression;
import dev.basalt.storage.fs.InMemoryFileSystem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Scans of string columns whose pages are dictionary-encoded hand the batches' dictionary codes on
 * ({@link BytesVector#hasDictionary}): seeded segments whose pages alternate between few distinct
 * values (dictionary-encoded), all distinct (plain) and 300 distinct (a dictionary too large to
 * hand on), with NULLs, empty strings and multibyte UTF-8, read whole and through a filter (late
 * materialization). Every row reads as written; where a batch has codes, every non-NULL row equals
 * its dictionary entry; a batch touching a plain page has none.
 */
class DictionaryScanTest {
  private static final String PATH = "data/db1/t1/p0/tablet3/seg_0001.bsg";
  private static final long SEED = 20261207L;
  private static final String[] FEW = {"MAIL", "SHIP", "", "日本語", "AIR "};
  private static final DataType TYPE = DataType.varchar(40);

  private final InMemoryFileSystem fileSystem = new InMemoryFileSystem();

  @Test
  void batchesCarryCodesThatMatchTheirRows() {
    Random random = new Random(SEED);
    for (int round = 0; round < 6; round++) {
      // Small pages: every batch touches a plain page; large ones: some lie in dictionary pages.
      int pageRows = round % 2 == 0 ? 200 + random.nextInt(1500) : 4096 + random.nextInt(4000);
      List<Object> strings = new ArrayList<>();
      List<Object> numbers = new ArrayList<>();
      int rows = 4 * pageRows + random.nextInt(9000);
      for (int row = 0; row < rows; row++) {
        // Pages of few distinct values, of all distinct ones (plain) and of 300 distinct ones (a
        // dictionary too large to hand on).
        String value =
            switch ((row / pageRows) % 4) {
              case 1 -> "unique-" + row + "-Ärger-" + random.nextInt(1_000_000);
              case 3 -> "many-" + random.nextInt(300);
              default -> FEW[random.nextInt(FEW.length)];
            };
        strings.add(random.nextInt(10) == 0 ? null : value);
        numbers.add((long) random.nextInt(4));
      }
      List<SegmentColumn> schema =
          List.of(
              new SegmentColumn(100, TYPE, true), new SegmentColumn(101, DataType.BIGINT, true));
      SegmentWriterOptions options =
          SegmentWriterOptions.DEFAULT
              .withCompression(random.nextBoolean() ? Compression.LZ4 : Compression.NONE)
              .withPageLimits(1 << 20, pageRows);
      try (SegmentWriter writer = new SegmentWriter(fileSystem, PATH, schema, options)) {
        writer.append(
            new Batch(List.of(vector(TYPE, strings), vector(DataType.BIGINT, numbers)), rows));
        writer.finish();
      }
      String description = "seed " + SEED + " round " + round;
      int[] coded = new int[1];
      try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
        List<Object> read = new ArrayList<>();
        try (BatchStream stream = reader.read(List.of(100))) {
          for (Batch batch = stream.next(); batch != null; batch = stream.next()) {
            coded[0] += checkCodes((BytesVector) batch.column(0), description);
            for (int row = 0; row < batch.rowCount(); row++) {
              read.add(batch.column(0).getObject(row));
            }
          }
        }
        assertThat(read).as(description).isEqualTo(strings);
        // Filtered on the number column: the strings are gathered for the kept rows only.
        RowSelector keepOnes =
            (filterColumns, firstRow, selected) -> {
              LongVector values = (LongVector) filterColumns.column(0);
              int kept = 0;
              for (int row = 0; row < filterColumns.rowCount(); row++) {
                if (values.getLong(row) == 1) {
                  selected[kept++] = row;
                }
              }
              return kept;
            };
        List<Object> expected = new ArrayList<>();
        for (int row = 0; row < rows; row++) {
          if ((Long) numbers.get(row) == 1) {
            expected.add(strings.get(row));
          }
        }
        List<Object> filtered = new ArrayList<>();
        SegmentFilter filter = new SegmentFilter(new int[] {1}, List.of(), keepOnes);
        try (BatchStream stream =
            reader.read(
                List.of(ColumnRequest.of(100), ColumnRequest.of(101)),
                0,
                rows,
                filter,
                new ScanCounters())) {
          for (Batch batch = stream.next(); batch != null; batch = stream.next()) {
            coded[0] += checkCodes((BytesVector) batch.column(0), description);
            for (int row = 0; row < batch.rowCount(); row++) {
              filtered.add(batch.column(0).getObject(row));
            }
          }
        }
        assertThat(filtered).as(description).isEqualTo(expected);
      }
      fileSystem.delete(PATH);
      if (pageRows >= 4096) {
        assertThat(coded[0]).as(description + ": batches with codes").isPositive();
      }
    }
  }

  /** Checks the codes of {@code vector}, if any; returns 1 when it has codes, else 0. */
  private static int checkCodes(BytesVector vector, String description) {
    if (!vector.hasDictionary()) {
      return 0;
    }
    int[] codes = vector.dictionaryCodes();
    BytesVector dictionary = vector.dictionary();
    assertThat(dictionary.mayHaveNulls()).isFalse();
    for (int row = 0; row < vector.size(); row++) {
      if (vector.isNull(row)) {
        continue;
      }
      byte[] bytes = vector.getBytes(row);
      assertThat(bytes).as(description).isEqualTo(dictionary.getBytes(codes[row]));
      assertThat(vector.getString(row)).doesNotStartWith("unique-").doesNotStartWith("many-");
    }
    assertThat(Arrays.stream(codes, 0, vector.size()).max().orElse(0))
        .isLessThan(Math.max(1, dictionary.size()));
    return 1;
  }

  private static ColumnVector vector(DataType type, List<Object> values) {
    ColumnVectorBuilder builder = new ColumnVectorBuilder(type, values.size());
    values.forEach(builder::appendObject);
    return builder.build();
  }
}
