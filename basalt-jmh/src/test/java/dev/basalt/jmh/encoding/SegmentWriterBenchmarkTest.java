package dev.basalt.jmh.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.jmh.RunOnce;
import dev.basalt.storage.encoding.Compression;
import dev.basalt.storage.segment.SegmentMetadata;
import org.junit.jupiter.api.Test;

class SegmentWriterBenchmarkTest {
  @Test
  void runsOnce() throws Exception {
    RunOnce.run(SegmentWriterBenchmark.class, 1);
  }

  @Test
  void writesEveryRowOfEveryColumn() {
    SegmentWriterBenchmark benchmark = new SegmentWriterBenchmark();
    benchmark.compression = Compression.LZ4;
    benchmark.setUp();
    SegmentMetadata metadata = benchmark.write();
    assertThat(metadata.rowCount()).isEqualTo(SegmentWriterBenchmark.ROWS);
    assertThat(metadata.columns()).hasSize(16);
    assertThat(benchmark.fileSize()).isPositive();
  }
}
