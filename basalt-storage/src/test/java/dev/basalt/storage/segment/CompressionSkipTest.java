package dev.basalt.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.storage.encoding.Compression;
import dev.basalt.storage.fs.InMemoryFileSystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A column whose page did not compress stores its next {@link
 * ColumnWriter#PAGES_WITHOUT_COMPRESSION} pages without trying, then tries again: the values read
 * back the same either way, and a column whose data turns compressible is compressed again.
 */
class CompressionSkipTest {
  private static final long SEED = 77L;
  private static final String PATH = "data/db1/t1/p0/tablet1/seg_0001.bsg";
  private static final int PAGE_ROWS = 100;

  private final InMemoryFileSystem fileSystem = new InMemoryFileSystem();

  @Test
  void incompressiblePagesSkipCompressionThenTheColumnIsTriedAgain() {
    Random random = new Random(SEED);
    int incompressiblePages = 3;
    int pages = incompressiblePages + ColumnWriter.PAGES_WITHOUT_COMPRESSION + 10;
    List<Object> longs = new ArrayList<>();
    List<Object> strings = new ArrayList<>();
    for (int row = 0; row < pages * PAGE_ROWS; row++) {
      boolean random64 = row < incompressiblePages * PAGE_ROWS;
      // Random 64-bit values first (a plain-width frame of reference), then one value repeated
      // in a pattern LZ4 shrinks (DELTA of a constant step packs to nothing; alternate instead).
      longs.add(random64 ? random.nextLong() : (row % 2 == 0 ? 5L : 1L << 40) + (row % 7));
      strings.add(random.nextInt(10) == 0 ? null : "compressible text " + (row % 3));
    }
    List<SegmentColumn> schema =
        List.of(
            new SegmentColumn(1, DataType.BIGINT, false),
            new SegmentColumn(2, DataType.STRING, true));
    SegmentWriterOptions options =
        SegmentWriterOptions.DEFAULT
            .withCompression(Compression.LZ4)
            .withPageLimits(64 * 1024, PAGE_ROWS)
            .withForcedEncoding(dev.basalt.storage.encoding.Encoding.PLAIN);
    try (SegmentWriter writer = new SegmentWriter(fileSystem, PATH, schema, options)) {
      TestData.appendAll(writer, schema, List.of(longs, strings), new Random(SEED));
      writer.finish();
    }
    byte[] file = fileSystem.bytes(PATH);
    try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
      assertThat(TestData.drain(reader.read(List.of(1, 2)), 2)).isEqualTo(List.of(longs, strings));
      List<Integer> longCompressions = compressionIds(file, reader.column(1).pages());
      assertThat(longCompressions).hasSize(pages);
      // Page 0 (random longs) was tried and stored as is; pages 1 to 15 were not tried, even the
      // compressible ones from page 3 on; page 16 was tried again and compressed, and so was every
      // page after it.
      int retried = 1 + ColumnWriter.PAGES_WITHOUT_COMPRESSION;
      assertThat(longCompressions.subList(0, retried)).containsOnly(Compression.NONE.id());
      assertThat(longCompressions.subList(retried, pages)).containsOnly(Compression.LZ4.id());
      // The compressible column is compressed on every page.
      assertThat(compressionIds(file, reader.column(2).pages())).containsOnly(Compression.LZ4.id());
    }
  }

  private static List<Integer> compressionIds(byte[] file, List<PageMetadata> pages) {
    List<Integer> ids = new ArrayList<>();
    for (PageMetadata page : pages) {
      ids.add((int) file[(int) page.offset() + 1]);
    }
    return ids;
  }
}
