package dev.basalt.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.storage.encoding.Encoding;
import dev.basalt.storage.fs.InMemoryFileSystem;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * DECIMAL and LARGEINT pages whose values fit in 64 bits are written as a frame of reference
 * (format version 3), others plain; both read back exactly, and a version 2 segment (INT128 pages
 * always plain) still reads.
 */
class DecimalFrameOfReferenceTest {
  private static final long SEED = 2026L;
  private static final String PATH = "data/db1/t1/p0/tablet1/seg_0001.bsg";

  private final InMemoryFileSystem fileSystem = new InMemoryFileSystem();

  @Test
  void fittingPagesAreFramesOfReferenceAndEveryPageReadsBack() {
    Random random = new Random(SEED);
    List<SegmentColumn> schema =
        List.of(
            new SegmentColumn(1, DataType.decimal(15, 2), true),
            new SegmentColumn(2, DataType.decimal(38, 0), true),
            new SegmentColumn(3, DataType.LARGEINT, true));
    List<Object> prices = new ArrayList<>();
    List<Object> wide = new ArrayList<>();
    List<Object> largeInts = new ArrayList<>();
    int rows = 3000;
    for (int row = 0; row < rows; row++) {
      boolean nullRow = random.nextInt(8) == 0;
      prices.add(nullRow ? null : BigDecimal.valueOf(random.nextInt(10_000_000) - 500, 2));
      // Pages of values that fit in 64 bits, then pages with some that do not.
      BigInteger value = BigInteger.valueOf(random.nextLong());
      if (row >= rows / 2 && random.nextInt(50) == 0) {
        value = value.shiftLeft(40);
      }
      wide.add(nullRow ? null : new BigDecimal(value));
      largeInts.add(nullRow ? null : value.negate());
    }
    SegmentWriterOptions options = SegmentWriterOptions.DEFAULT.withPageLimits(64 * 1024, 500);
    try (SegmentWriter writer = new SegmentWriter(fileSystem, PATH, schema, options)) {
      TestData.appendAll(writer, schema, List.of(prices, wide, largeInts), random);
      writer.finish();
    }
    byte[] file = fileSystem.bytes(PATH);
    try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
      assertThat(reader.metadata().formatVersion()).isEqualTo(3);
      assertThat(TestData.drain(reader.read(List.of(1, 2, 3)), 3))
          .as("seed %d", SEED)
          .isEqualTo(List.of(prices, wide, largeInts));
      assertThat(encodings(file, reader.column(1).pages()))
          .containsOnly(Encoding.FRAME_OF_REFERENCE.id());
      List<Integer> wideEncodings = encodings(file, reader.column(2).pages());
      assertThat(wideEncodings.subList(0, 3)).containsOnly(Encoding.FRAME_OF_REFERENCE.id());
      assertThat(wideEncodings.subList(3, wideEncodings.size())).contains(Encoding.PLAIN.id());
      reader.verify();
    }
  }

  @Test
  void aVersionTwoSegmentWithPlainDecimalPagesStillReads() {
    List<SegmentColumn> schema = List.of(new SegmentColumn(1, DataType.decimal(15, 2), true));
    List<Object> values = new ArrayList<>();
    for (int row = 0; row < 700; row++) {
      values.add(row % 9 == 0 ? null : BigDecimal.valueOf(row * 101L - 3000, 2));
    }
    SegmentWriterOptions plain = SegmentWriterOptions.DEFAULT.withForcedEncoding(Encoding.PLAIN);
    try (SegmentWriter writer = new SegmentWriter(fileSystem, PATH, schema, plain)) {
      TestData.appendAll(writer, schema, List.of(values), new Random(SEED));
      writer.finish();
    }
    // What version 2 wrote: the same bytes with the version 2 in the header and the trailer.
    byte[] file = fileSystem.bytes(PATH);
    ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putInt(8, 2);
    buffer.putInt(file.length - 16, 2);
    fileSystem.replaceBytes("old.bsg", file);
    try (SegmentReader reader = SegmentReader.open(fileSystem, "old.bsg")) {
      assertThat(reader.metadata().formatVersion()).isEqualTo(2);
      assertThat(encodings(file, reader.column(1).pages())).containsOnly(Encoding.PLAIN.id());
      assertThat(TestData.drain(reader.read(List.of(1)), 1).get(0)).isEqualTo(values);
      reader.verify();
    }
  }

  private static List<Integer> encodings(byte[] file, List<PageMetadata> pages) {
    List<Integer> ids = new ArrayList<>();
    for (PageMetadata page : pages) {
      ids.add((int) file[(int) page.offset()]);
    }
    return ids;
  }
}
