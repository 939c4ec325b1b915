package dev.basalt.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.storage.encoding.Compression;
import dev.basalt.storage.fs.InMemoryFileSystem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SegmentCorruptionTest {
  private static final String PATH = "data/db1/t1/p0/tablet3/seg_0007.bsg";
  private static final String COPY = "data/db1/t1/p0/tablet3/seg_0007_damaged.bsg";

  private final InMemoryFileSystem fileSystem = new InMemoryFileSystem();
  private byte[] original;
  private SegmentMetadata metadata;

  @BeforeEach
  void writeSmallSegment() {
    List<SegmentColumn> schema = new ArrayList<>();
    List<List<Object>> columns = new ArrayList<>();
    Random random = new Random(11);
    List<DataType> types =
        List.of(
            DataType.BIGINT,
            DataType.varchar(20),
            DataType.DOUBLE,
            DataType.decimal(12, 2),
            DataType.BOOLEAN);
    for (int i = 0; i < types.size(); i++) {
      schema.add(new SegmentColumn(i + 1, types.get(i), true));
      columns.add(
          TestData.values(
              types.get(i),
              60,
              0.2,
              i % 2 == 0 ? TestData.Shape.RANDOM : TestData.Shape.LOW_CARDINALITY,
              random));
    }
    SegmentWriterOptions options =
        SegmentWriterOptions.DEFAULT.withPageLimits(1024, 25).withCompression(Compression.LZ4);
    try (SegmentWriter writer = new SegmentWriter(fileSystem, PATH, schema, options)) {
      TestData.appendAll(writer, schema, columns, random);
      metadata = writer.finish();
    }
    original = fileSystem.bytes(PATH);
  }

  /** Opens {@code bytes} as a segment and reads every column; returns the corruption error. */
  private BasaltException readDamaged(byte[] bytes) {
    fileSystem.replaceBytes(COPY, bytes);
    try (SegmentReader reader = SegmentReader.open(fileSystem, COPY)) {
      reader.verify();
    } catch (BasaltException e) {
      return e;
    }
    return null;
  }

  @Test
  void everyFlippedByteIsDetected() {
    for (int position = 0; position < original.length; position++) {
      for (int bit : new int[] {0x01, 0x80}) {
        byte[] damaged = original.clone();
        damaged[position] ^= (byte) bit;
        BasaltException error = readDamaged(damaged);
        if (error == null) {
          fail(
              "flipping bits "
                  + bit
                  + " of byte "
                  + position
                  + " of "
                  + original.length
                  + " went unnoticed");
        }
        assertThat(error.code()).as("byte %d", position).isEqualTo(ErrorCode.STORAGE_CORRUPTION);
        assertThat(error.getMessage()).as("byte %d", position).contains(COPY);
      }
    }
  }

  @Test
  void aFlippedPageByteNamesThePageAndColumn() {
    PageMetadata page = metadata.columns().get(1).pages().get(2);
    byte[] damaged = original.clone();
    damaged[(int) page.offset() + page.storedLength() - 1] ^= 0x10;
    BasaltException error = readDamaged(damaged);
    assertThat(error.getMessage())
        .isEqualTo(
            "errCode = 2, detailMessage = Corrupt data in "
                + COPY
                + ": checksum mismatch in page 2 of column 2");
  }

  @Test
  void everyTruncationIsDetected() {
    for (int length = 0; length < original.length; length++) {
      BasaltException error = readDamaged(Arrays.copyOf(original, length));
      assertThat(error).as("truncated to %d bytes", length).isNotNull();
      assertThat(error.code())
          .as("truncated to %d bytes", length)
          .isEqualTo(ErrorCode.STORAGE_CORRUPTION);
      assertThat(error.getMessage()).contains(COPY);
    }
  }

  @Test
  void appendedGarbageIsDetected() {
    byte[] longer = Arrays.copyOf(original, original.length + 3);
    assertThat(readDamaged(longer).code()).isEqualTo(ErrorCode.STORAGE_CORRUPTION);
  }

  @Test
  void unknownFormatVersionIsReportedAsSuch() {
    byte[] damaged = original.clone();
    damaged[damaged.length - 16] = 9;
    assertThat(readDamaged(damaged).getMessage()).contains("unsupported segment format version 9");
  }

  @Test
  void aFileThatIsNotASegmentIsRejected() {
    assertThat(
            readDamaged(
                    "hello, this is certainly not a Basalt segment file"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .getMessage())
        .contains("bad magic");
    assertThat(readDamaged(new byte[0]).getMessage()).contains("shorter than the smallest segment");
  }

  @Test
  void theIntactFileStillReads() {
    assertThat(readDamaged(original)).isNull();
    assertThatThrownBy(() -> SegmentReader.open(fileSystem, "missing.bsg"))
        .isInstanceOfSatisfying(
            BasaltException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR));
  }
}
