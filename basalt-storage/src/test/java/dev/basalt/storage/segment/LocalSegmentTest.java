package dev.basalt.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.storage.fs.LocalFileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segments on a real disk: durability calls on finish, and a truncated file on disk. */
class LocalSegmentTest {
  private static final String PATH = "data/db1/t1/p0/tablet3/seg_0001.bsg";

  @TempDir Path directory;

  @Test
  void finishSyncsTheFileAndItsDirectoryAndTruncationIsDetected() throws Exception {
    LocalFileSystem fileSystem = new LocalFileSystem(directory);
    List<SegmentColumn> schema =
        List.of(
            new SegmentColumn(1, DataType.BIGINT, false),
            new SegmentColumn(2, DataType.STRING, true));
    Random random = new Random(8);
    List<List<Object>> columns =
        List.of(
            TestData.values(DataType.BIGINT, 20_000, 0, TestData.Shape.SORTED, random),
            TestData.values(DataType.STRING, 20_000, 0.1, TestData.Shape.RANDOM, random));
    SegmentMetadata metadata;
    try (SegmentWriter writer = new SegmentWriter(fileSystem, PATH, schema)) {
      TestData.appendAll(writer, schema, columns, random);
      long syncsBeforeFinish = fileSystem.fileSyncCount();
      // Written in place: a segment is published by the catalog commit that names it.
      metadata = writer.finish();
      assertThat(fileSystem.fileSyncCount()).isEqualTo(syncsBeforeFinish + 1);
    }
    assertThat(fileSystem.directorySyncCount()).isGreaterThanOrEqualTo(1);
    assertThat(Files.size(directory.resolve(PATH))).isEqualTo(metadata.fileSize());
    try (SegmentReader reader = SegmentReader.open(fileSystem, PATH)) {
      assertThat(TestData.drain(reader.read(List.of(1, 2)), 2)).isEqualTo(columns);
    }

    try (var channel = Files.newByteChannel(directory.resolve(PATH), StandardOpenOption.WRITE)) {
      channel.truncate(metadata.fileSize() - 100);
    }
    BasaltException error =
        catchThrowableOfType(BasaltException.class, () -> SegmentReader.open(fileSystem, PATH));
    assertThat(error.code()).isEqualTo(ErrorCode.STORAGE_CORRUPTION);
    assertThat(error.getMessage()).contains(PATH);
  }
}
